import type { TBreakerInstance } from '../../lib/api/breaker-detail';
import { formatAgo, formatCount } from '../../lib/format/humanize';
import { formatPercent } from '../overview/format';
import { clientActionHint, clientText } from '../reporter-client-text';
import styles from './breaker-detail.module.css';

/** Every instance of the breaker; instances whose configuration differs from the majority are marked. */
export function InstancesTable({ instances, drifted, now }: { instances: TBreakerInstance[]; drifted: ReadonlySet<string>; now: number }) {
  return (
    <table className={styles.table}>
      <caption>Instances</caption>
      <thead>
        <tr>
          <th scope="col">Instance</th>
          <th scope="col">State</th>
          <th scope="col">Client</th>
          <th scope="col">Last report</th>
          <th scope="col">Labels</th>
          <th scope="col">Window calls</th>
          <th scope="col">Failures</th>
          <th scope="col">Slow</th>
          <th scope="col">Config</th>
        </tr>
      </thead>
      <tbody>
        {instances.map((instance) => (
          <tr key={instance.instanceId} data-stale={instance.stale || undefined}>
            <td>{instance.name}</td>
            <td>
              {instance.stale ? `stale (last ${instance.state})` : instance.state}
              {instance.wouldBe && instance.wouldBe !== instance.state && !instance.stale ? ` — would be ${instance.wouldBe}` : ''}
            </td>
            <td title={clientActionHint(instance.client)}>{clientText(instance.client)}</td>
            <td>{formatAgo(instance.lastReportAt, now)}</td>
            <td>
              {Object.entries(instance.labels)
                .map(([key, value]) => `${key}=${value}`)
                .join(', ') || '–'}
            </td>
            <td className={styles.number}>{instance.window ? formatCount(instance.window.calls) : '–'}</td>
            <td className={styles.number}>{formatPercent(instance.window?.failureRate ?? null)}</td>
            <td className={styles.number}>{formatPercent(instance.window?.slowCallRate ?? null)}</td>
            <td>{drifted.has(instance.instanceId) ? <strong className={styles.drift}>differs</strong> : 'same'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One cell per instance, for breakers with many: the fleet at a glance. */
export function InstanceHeatmap({ instances }: { instances: TBreakerInstance[] }) {
  return (
    <div className={styles.heatmap} role="list" aria-label="Instances by state">
      {instances.map((instance) => (
        <span
          key={instance.instanceId}
          role="listitem"
          className={styles.cell}
          data-state={instance.stale ? 'STALE' : instance.state}
          title={`${instance.name}: ${instance.stale ? 'stale' : instance.state}`}
          aria-label={`${instance.name}: ${instance.stale ? 'stale' : instance.state}`}
        />
      ))}
    </div>
  );
}
