import type { TAuditEntry, TAuditQuery } from '../../lib/control/audit.js';
import type { Queryable } from '../store/queryable';

interface AuditRow {
  id: string;
  at: Date;
  actor_email: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  service: string | null;
  breaker: string | null;
  breaker_id: string | null;
  reason: string | null;
  scope: unknown;
  ip_address: string | null;
  details: Record<string, unknown>;
  pending: number | null;
  sent: number | null;
  applied: number | null;
  failed: number | null;
  offline: number | null;
}

/** Audit entries, newest first, with each command's delivery outcome counted from its deliveries. */
export async function queryAudit(db: Queryable, query: TAuditQuery): Promise<TAuditEntry[]> {
  const result = await db.query<AuditRow>(
    `SELECT a.id::text, a.at, a.actor_email, a.action, a.target_type, a.target_id, s.name AS service, b.name AS breaker, a.breaker_id,
            a.reason, a.scope, a.ip_address, a.details, d.pending, d.sent, d.applied, d.failed, d.offline
     FROM audit_events a
     LEFT JOIN services s ON s.id = a.service_id
     LEFT JOIN breakers b ON b.id = a.breaker_id
     LEFT JOIN LATERAL (
       SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'applied')::int AS applied,
              count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE status = 'offline')::int AS offline
       FROM command_deliveries WHERE command_id = a.command_id) d ON a.command_id IS NOT NULL
     WHERE ($1::uuid IS NULL OR a.breaker_id = $1) AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR a.actor_email = $3)
       AND ($4::timestamptz IS NULL OR a.at >= $4) AND ($5::timestamptz IS NULL OR a.at < $5)
     ORDER BY a.at DESC, a.id DESC LIMIT $6`,
    [query.breaker ?? null, query.service ?? null, query.user ?? null, query.from === undefined ? null : new Date(query.from), query.to === undefined ? null : new Date(query.to), query.limit],
  );
  return result.rows.map((row) => ({
    id: row.id,
    at: row.at.getTime(),
    actor: row.actor_email,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    service: row.service,
    breaker: row.breaker,
    breakerId: row.breaker_id,
    reason: row.reason,
    scope: row.scope ?? null,
    ipAddress: row.ip_address,
    details: row.details,
    delivery: row.pending === null ? null : { pending: row.pending, sent: row.sent ?? 0, applied: row.applied ?? 0, failed: row.failed ?? 0, offline: row.offline ?? 0 },
  }));
}
