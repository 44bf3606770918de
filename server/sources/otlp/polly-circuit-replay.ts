import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';

/** How many of each Polly circuit event happened since the last look (COMPAT.md §7.1). */
export interface CircuitEventCounts {
  opened: number;
  halfOpened: number;
  closed: number;
}

/** A bound on the walk for one export, however far a counter jumped (a flapping breaker, a bogus value). */
const MAX_STEPS = 10_000;

/**
 * Walks Polly's circuit from `from` through events whose order an export
 * does not carry (a counter per event name): OPEN goes to HALF_OPEN when a
 * half-open event is left, else to CLOSED (a manual close); HALF_OPEN goes
 * back to OPEN while open events are left, so that when opens and closes
 * both grew the closing one comes last, as COMPAT.md §7.1 assumes; CLOSED
 * opens. Events that fit no step (a close on a closed circuit) change
 * nothing. Returns the states passed through, in order.
 */
export function replayCircuit(from: TBreakerState, counts: CircuitEventCounts): TBreakerState[] {
  const left = { ...counts };
  const path: TBreakerState[] = [];
  let state = from;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    let next: TBreakerState | null = null;
    if (state === 'OPEN') {
      if (left.halfOpened > 0) {
        left.halfOpened -= 1;
        next = 'HALF_OPEN';
      } else if (left.closed > 0) {
        left.closed -= 1;
        next = 'CLOSED';
      }
    } else if (state === 'HALF_OPEN') {
      if (left.opened > 0) {
        left.opened -= 1;
        next = 'OPEN';
      } else if (left.closed > 0) {
        left.closed -= 1;
        next = 'CLOSED';
      }
    } else if (left.opened > 0) {
      left.opened -= 1;
      next = 'OPEN';
    } else if (left.halfOpened > 0) {
      // A half-open without the open before it (the open fell in a lost export): the circuit was open, now trial.
      left.halfOpened -= 1;
      next = 'HALF_OPEN';
    }
    if (next === null) break;
    path.push(next);
    state = next;
  }
  return path;
}
