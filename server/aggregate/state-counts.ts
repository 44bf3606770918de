import type { TBreakerState } from '../../lib/protocol/breaker-state.js';

// Most severe first: one forced open instance makes the breaker forced open, one open one makes it open.
const BY_SEVERITY: readonly TBreakerState[] = ['FORCED_OPEN', 'OPEN', 'HALF_OPEN', 'FORCED_CLOSED', 'CLOSED'];
const INDEX: Record<TBreakerState, number> = { FORCED_OPEN: 0, OPEN: 1, HALF_OPEN: 2, FORCED_CLOSED: 3, CLOSED: 4 };

/** The more severe of two states; a null (unknown) state never wins. */
export function worseState(a: TBreakerState | null, b: TBreakerState | null): TBreakerState | null {
  return b !== null && (a === null || INDEX[b] < INDEX[a]) ? b : a;
}

/** How many of a breaker's instances are in each state, kept in step, so the service-wide state never scans the instances. */
export class StateCounts {
  private readonly counts = new Int32Array(BY_SEVERITY.length);

  /** Counts a state in (+1) or out (-1); null (unknown) states are not counted. */
  add(state: TBreakerState | null, delta: 1 | -1): void {
    if (state !== null) this.counts[INDEX[state]]! += delta;
  }

  of(state: TBreakerState): number {
    return this.counts[INDEX[state]]!;
  }

  worst(): TBreakerState | null {
    for (let i = 0; i < BY_SEVERITY.length; i++) if (this.counts[i]! > 0) return BY_SEVERITY[i]!;
    return null;
  }
}
