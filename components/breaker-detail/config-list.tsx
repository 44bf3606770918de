import { formatCount, formatDuration, formatOptionalDuration } from '../../lib/format/humanize';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config';
import styles from './breaker-detail.module.css';

const pct = (value: number | null) => (value === null ? 'off' : `${value}%`);

/** The breaker's configuration in words an operator reads. */
export function ConfigList({ config }: { config: TBreakerConfig | null }) {
  if (!config) return <p className={styles.muted}>No configuration reported yet.</p>;
  const rows: Array<[string, string]> = [
    ['Window', config.window.type === 'count' ? `last ${config.window.size} calls` : `last ${formatDuration(config.window.seconds * 1000)}`],
    ['Failure threshold', pct(config.failureRateThreshold)],
    ['Slow call', formatOptionalDuration(config.slowCallThresholdMs)],
    ['Slow-call threshold', pct(config.slowCallRateThreshold)],
    ['Minimum calls', formatCount(config.minimumCalls)],
    [
      'Open timeout',
      formatOptionalDuration(config.openTimeoutMs) + (config.openTimeoutBackoff ? ` (×${config.openTimeoutBackoff.multiplier} up to ${formatDuration(config.openTimeoutBackoff.maxMs)})` : ''),
    ],
    ['Half-open trials', String(config.halfOpenMaxCalls)],
    ['Call timeout', formatOptionalDuration(config.callTimeoutMs)],
    ['Fallback', config.hasFallback ? 'yes' : 'no'],
    ['Implementation', config.implementation],
  ];
  return (
    <dl className={styles.config}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
