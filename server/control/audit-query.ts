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
  target_user_email: string | null;
  target_key_prefix: string | null;
  target_key_service: string | null;
  target_endpoint: string | null;
  target_rule: string | null;
  target_snooze: string | null;
  pending: number | null;
  sent: number | null;
  applied: number | null;
  failed: number | null;
  offline: number | null;
}

// Only a well-formed id is cast: a malformed one must not fail the whole listing.
const UUID_TEXT = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const detail = (details: Record<string, unknown>, key: string): string | null => (typeof details[key] === 'string' ? details[key] : null);

/**
 * The target's name as a reader knows it, from the live rows when they still
 * exist and from the facts kept in the audit row when they were removed:
 * a user's e-mail, a key's service and prefix, a breaker's service/name.
 */
function targetName(row: AuditRow): string | null {
  switch (row.target_type) {
    case 'user':
      return row.target_user_email ?? detail(row.details, 'email');
    case 'api_key': {
      const service = row.target_key_service ?? detail(row.details, 'service');
      const prefix = row.target_key_prefix ?? detail(row.details, 'prefix');
      if (!service) return prefix ? `key ${prefix}…` : null;
      return prefix ? `${service} (key ${prefix}…)` : service;
    }
    case 'notification_endpoint':
      return row.target_endpoint ?? detail(row.details, 'name');
    case 'notification_rule':
      return row.target_rule ?? detail(row.details, 'name');
    case 'notification_snooze':
      return row.target_snooze ?? detail(row.details, 'label');
    default: {
      const service = row.service ?? detail(row.details, 'service');
      const breaker = row.breaker ?? detail(row.details, 'breaker');
      return service && breaker ? `${service}/${breaker}` : null;
    }
  }
}

/** Audit entries, newest first, with each command's delivery outcome counted from its deliveries. */
export async function queryAudit(db: Queryable, query: TAuditQuery): Promise<TAuditEntry[]> {
  const result = await db.query<AuditRow>(
    `SELECT a.id::text, a.at, a.actor_email, a.action, a.target_type, a.target_id, s.name AS service, b.name AS breaker, a.breaker_id,
            a.reason, a.scope, a.ip_address, a.details, d.pending, d.sent, d.applied, d.failed, d.offline,
            tu.email AS target_user_email, tk.prefix AS target_key_prefix, tks.name AS target_key_service,
            te.name AS target_endpoint, tr.name AS target_rule, tz.label AS target_snooze
     FROM audit_events a
     LEFT JOIN services s ON s.id = a.service_id
     LEFT JOIN breakers b ON b.id = a.breaker_id
     LEFT JOIN LATERAL (SELECT CASE WHEN a.target_id ~* $7 THEN a.target_id::uuid END AS id) t ON true
     LEFT JOIN users tu ON a.target_type = 'user' AND tu.id = t.id
     LEFT JOIN api_keys tk ON a.target_type = 'api_key' AND tk.id = t.id
     LEFT JOIN services tks ON tks.id = tk.service_id
     LEFT JOIN notification_endpoints te ON a.target_type = 'notification_endpoint' AND te.id = t.id
     LEFT JOIN notification_rules tr ON a.target_type = 'notification_rule' AND tr.id = t.id
     LEFT JOIN notification_snoozes tz ON a.target_type = 'notification_snooze' AND tz.id = t.id
     LEFT JOIN LATERAL (
       SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'applied')::int AS applied,
              count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE status = 'offline')::int AS offline
       FROM command_deliveries WHERE command_id = a.command_id) d ON a.command_id IS NOT NULL
     WHERE ($1::uuid IS NULL OR a.breaker_id = $1) AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR a.actor_email = $3)
       AND ($4::timestamptz IS NULL OR a.at >= $4) AND ($5::timestamptz IS NULL OR a.at < $5)
     ORDER BY a.at DESC, a.id DESC LIMIT $6`,
    [
      query.breaker ?? null,
      query.service ?? null,
      query.user ?? null,
      query.from === undefined ? null : new Date(query.from),
      query.to === undefined ? null : new Date(query.to),
      query.limit,
      UUID_TEXT,
    ],
  );
  return result.rows.map((row) => ({
    id: row.id,
    at: row.at.getTime(),
    actor: row.actor_email,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: targetName(row),
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
