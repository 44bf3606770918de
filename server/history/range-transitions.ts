import type { TBreakerState, TTransitionCause } from '../../lib/protocol/breaker-state.js';
import type { Queryable } from '../store/queryable';

/** An instance's transition inside a range, as the timeline and the export read it. */
export interface RangeTransition {
  id: string;
  breakerId: string;
  instanceId: string | null;
  instance: string | null;
  from: TBreakerState | null;
  to: TBreakerState;
  cause: TTransitionCause;
  failureRate: number | null;
  slowCallRate: number | null;
  at: number;
}

/**
 * The transitions of some breakers in [from, to), per breaker in time order,
 * read on the (breaker_id, at) index. `withPanelRows` adds the panel's own
 * rows (instance null) for the export; the lanes leave them out because the
 * instances report what they did with a command.
 */
export async function rangeTransitions(db: Queryable, breakerIds: string[], from: number, to: number, { withPanelRows = false, limit = 1_000_000 } = {}): Promise<RangeTransition[]> {
  const result = await db.query<{
    id: string;
    breaker_id: string;
    instance_id: string | null;
    instance: string | null;
    from_state: TBreakerState | null;
    to_state: TBreakerState;
    cause: TTransitionCause;
    failure_rate: number | null;
    slow_call_rate: number | null;
    at: Date;
  }>(
    `SELECT t.id::text, t.breaker_id, t.instance_id, i.name AS instance, t.from_state, t.to_state, t.cause, t.failure_rate, t.slow_call_rate, t.at
     FROM transitions t LEFT JOIN instances i ON i.id = t.instance_id
     WHERE t.breaker_id = ANY($1::uuid[]) AND t.at >= $2 AND t.at < $3 AND ($4 OR t.instance_id IS NOT NULL)
     ORDER BY t.breaker_id, t.at, t.id
     LIMIT $5`,
    [breakerIds, new Date(from), new Date(to), withPanelRows, limit],
  );
  return result.rows.map((row) => ({
    id: row.id,
    breakerId: row.breaker_id,
    instanceId: row.instance_id,
    instance: row.instance,
    from: row.from_state,
    to: row.to_state,
    cause: row.cause,
    failureRate: row.failure_rate,
    slowCallRate: row.slow_call_rate,
    at: row.at.getTime(),
  }));
}
