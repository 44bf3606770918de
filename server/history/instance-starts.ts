import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { Queryable } from '../store/queryable';

/** A breaker on an instance at the start of a range. */
export interface InstanceStart {
  breakerId: string;
  instanceId: string;
  name: string;
  /** Its last transition before the range; null when it had none. */
  initial: TBreakerState | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

/**
 * Each (breaker, instance) pair's state at `from`. One backward probe of the
 * (breaker_id, instance_id, at) index per pair: the pairs come from
 * breaker_instance_states, which holds every pair that ever reported.
 */
export async function instanceStarts(db: Queryable, breakerIds: string[], from: number): Promise<InstanceStart[]> {
  const result = await db.query<{ breaker_id: string; instance_id: string; name: string; initial: TBreakerState | null; first_seen_at: Date; last_seen_at: Date }>(
    `SELECT p.breaker_id, p.instance_id, i.name, i.first_seen_at, i.last_seen_at,
            (SELECT t.to_state FROM transitions t
             WHERE t.breaker_id = p.breaker_id AND t.instance_id = p.instance_id AND t.at < $2
             ORDER BY t.at DESC, t.id DESC LIMIT 1) AS initial
     FROM breaker_instance_states p JOIN instances i ON i.id = p.instance_id
     WHERE p.breaker_id = ANY($1::uuid[])
     ORDER BY i.name`,
    [breakerIds, new Date(from)],
  );
  return result.rows.map((row) => ({
    breakerId: row.breaker_id,
    instanceId: row.instance_id,
    name: row.name,
    initial: row.initial,
    firstSeenAt: row.first_seen_at.getTime(),
    lastSeenAt: row.last_seen_at.getTime(),
  }));
}
