import type { TBreakerState } from '../../lib/protocol/breaker-state.js';

// The order in which states mark a breaker across its instances: one forced
// open instance makes the breaker forced open, one open one makes it open.
const SEVERITY: Record<TBreakerState, number> = { FORCED_OPEN: 5, OPEN: 4, HALF_OPEN: 3, FORCED_CLOSED: 2, CLOSED: 1 };

/** The more severe of two states; a null (unknown) state never wins. */
export function worseState(a: TBreakerState | null, b: TBreakerState | null): TBreakerState | null {
  if (b && (a === null || SEVERITY[b] > SEVERITY[a])) return b;
  return a;
}

/** The service-wide state: the most severe state among live instances, null if none. */
export function worstState(states: Iterable<TBreakerState | null>): TBreakerState | null {
  let worst: TBreakerState | null = null;
  for (const state of states) worst = worseState(worst, state);
  return worst;
}
