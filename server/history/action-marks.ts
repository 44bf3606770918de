import type { TActionMark } from '../../lib/history/timeline.js';
import type { Queryable } from '../store/queryable';

/**
 * Operator actions on some breakers in [from, to): every command (trip,
 * force closed, reset, release — reset leaves no panel transition, so the
 * commands are the complete list) with who from its audit row (kept even
 * after the user is removed) and why; plus overrides that ran out, which are
 * the panel's own transitions with no command.
 */
export async function actionMarks(db: Queryable, breakerIds: string[], from: number, to: number): Promise<TActionMark[]> {
  const result = await db.query<{ at: Date; breaker_id: string; action: TActionMark['action']; by: string | null; reason: string | null; command_id: string | null }>(
    `SELECT c.created_at AS at, c.breaker_id, c.action::text AS action, c.reason, c.id::text AS command_id,
            COALESCE((SELECT a.actor_email FROM audit_events a WHERE a.breaker_id = c.breaker_id AND a.command_id = c.id LIMIT 1), u.email) AS by
     FROM commands c LEFT JOIN users u ON u.id = c.created_by_id
     WHERE c.breaker_id = ANY($1::uuid[]) AND c.created_at >= $2 AND c.created_at < $3
     UNION ALL
     SELECT t.at, t.breaker_id, 'expired', o.reason, NULL, NULL
     FROM transitions t LEFT JOIN overrides o ON o.id = t.override_id
     WHERE t.breaker_id = ANY($1::uuid[]) AND t.at >= $2 AND t.at < $3 AND t.instance_id IS NULL AND t.cause = 'override_expired'
     ORDER BY at`,
    [breakerIds, new Date(from), new Date(to)],
  );
  return result.rows.map((row) => ({ at: row.at.getTime(), breakerId: row.breaker_id, action: row.action, by: row.by, reason: row.reason, commandId: row.command_id }));
}
