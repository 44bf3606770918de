import type { TAuditEntry } from '../../lib/control/audit';
import styles from './audit.module.css';

function scopeText(scope: unknown): string {
  if (!scope || typeof scope !== 'object') return '–';
  if ('all' in scope) return 'all instances';
  if ('instances' in scope && Array.isArray(scope.instances)) return scope.instances.join(', ');
  if ('labels' in scope && scope.labels && typeof scope.labels === 'object')
    return Object.entries(scope.labels)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(', ');
  return '–';
}

const TARGET_KINDS: Record<string, string> = {
  user: 'user',
  api_key: 'API key',
  breaker: 'breaker',
  override: 'override',
  command: 'command',
  notification_endpoint: 'webhook',
  notification_rule: 'rule',
  notification_snooze: 'snooze',
};

/** The target by name, the id only as a hover: an id tells a reader nothing. */
function Target({ entry }: { entry: TAuditEntry }) {
  const kind = TARGET_KINDS[entry.targetType] ?? entry.targetType.replaceAll('_', ' ');
  const name = entry.targetName ?? (entry.breaker ? `${entry.service}/${entry.breaker}` : entry.service);
  return (
    <span title={entry.targetId ? `${kind} ${entry.targetId}` : undefined}>
      <span className={styles.muted}>{kind}</span> {name ?? 'unknown'}
    </span>
  );
}

function deliveryText(entry: TAuditEntry): string {
  if (!entry.delivery) return '–';
  const parts = (['applied', 'sent', 'pending', 'failed', 'offline'] as const).filter((status) => entry.delivery![status] > 0).map((status) => `${entry.delivery![status]} ${status}`);
  return parts.join(', ') || 'no instance';
}

/** The audit trail: who, what, on what, in which scope, why, when, from where, and how it was delivered. */
export function AuditTable({ entries }: { entries: TAuditEntry[] }) {
  if (entries.length === 0) return <p className={styles.muted}>Nothing in the audit trail for these filters.</p>;
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">Scope</th>
          <th scope="col">Reason</th>
          <th scope="col">From</th>
          <th scope="col">Delivery</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td>
              <time dateTime={new Date(entry.at).toISOString()} title={new Date(entry.at).toISOString()}>
                {new Date(entry.at).toLocaleString()}
              </time>
            </td>
            <td>{entry.actor ?? 'system'}</td>
            <td>{entry.action}</td>
            <td>
              <Target entry={entry} />
            </td>
            <td>{scopeText(entry.scope)}</td>
            <td>{entry.reason ?? '–'}</td>
            <td>{entry.ipAddress ?? '–'}</td>
            <td>{deliveryText(entry)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
