import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';

/** How many of each Polly circuit event happened since the last look (COMPAT.md §7.1). */
export interface CircuitEventCounts {
  opened: number;
  halfOpened: number;
  closed: number;
}

/** Past this many events in one export the order is not searched, only walked greedily (a flapping breaker, a bogus value). */
const MAX_SEARCHED_EVENTS = 150;
/** A bound on the greedy walk, however far a counter jumped. */
const MAX_STEPS = 10_000;

type Step = { to: TBreakerState; event: keyof CircuitEventCounts };

/**
 * Polly's circuit as it moves on its own: CLOSED opens, OPEN half-opens,
 * HALF_OPEN opens again (the trial failed) or closes. At HALF_OPEN a new
 * open is tried before a close, so when opens and closes both grew the close
 * comes last, as COMPAT.md §7.1 assumes.
 */
function regularSteps(state: TBreakerState): Step[] {
  if (state === 'CLOSED') return [{ to: 'OPEN', event: 'opened' }];
  if (state === 'OPEN') return [{ to: 'HALF_OPEN', event: 'halfOpened' }];
  if (state === 'HALF_OPEN')
    return [
      { to: 'OPEN', event: 'opened' },
      { to: 'CLOSED', event: 'closed' },
    ];
  return [];
}

/** An order of regular steps that uses every event exactly, or null when none exists. */
function search(from: TBreakerState, counts: CircuitEventCounts): TBreakerState[] | null {
  const dead = new Set<string>();
  const walk = (state: TBreakerState, left: CircuitEventCounts): TBreakerState[] | null => {
    if (left.opened === 0 && left.halfOpened === 0 && left.closed === 0) return [];
    const key = `${state}|${left.opened}|${left.halfOpened}|${left.closed}`;
    if (dead.has(key)) return null;
    for (const step of regularSteps(state)) {
      if (left[step.event] === 0) continue;
      const rest = walk(step.to, { ...left, [step.event]: left[step.event] - 1 });
      if (rest) return [step.to, ...rest];
    }
    dead.add(key);
    return null;
  };
  return walk(from, counts);
}

/**
 * A walk that always ends, for counts no regular order explains (an export
 * was lost, the circuit was isolated or closed by hand): an open on OPEN or a
 * close on CLOSED changes nothing, a close on OPEN is a manual close, a
 * half-open on CLOSED means the open before it was missed.
 */
function greedy(from: TBreakerState, counts: CircuitEventCounts): TBreakerState[] {
  const left = { ...counts };
  const path: TBreakerState[] = [];
  let state = from;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const next = [...regularSteps(state), { to: 'CLOSED' as const, event: 'closed' as const }, { to: 'HALF_OPEN' as const, event: 'halfOpened' as const }].find(
      (candidate) => left[candidate.event] > 0 && candidate.to !== state,
    );
    if (!next) break;
    left[next.event] -= 1;
    path.push(next.to);
    state = next.to;
  }
  return path;
}

/**
 * The states Polly's circuit passed through, in order, from `from` and the
 * events one export counted: OTLP carries a counter per event name, not
 * their order, so the order is inferred — the one that explains every event
 * with the circuit's own moves (closing last when several fit), else a
 * greedy walk that tolerates lost or manual events.
 */
export function replayCircuit(from: TBreakerState, counts: CircuitEventCounts): TBreakerState[] {
  const total = counts.opened + counts.halfOpened + counts.closed;
  if (total === 0) return [];
  const start: TBreakerState = from === 'FORCED_OPEN' ? 'OPEN' : from === 'FORCED_CLOSED' ? 'CLOSED' : from;
  return (total <= MAX_SEARCHED_EVENTS ? search(start, counts) : null) ?? greedy(start, counts);
}
