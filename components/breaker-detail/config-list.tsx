import type { TBreakerConfig } from '../../lib/protocol/breaker-config';
import styles from './breaker-detail.module.css';

const ms = (value: number | null) => (value === null ? 'off' : `${value} ms`);
const pct = (value: number | null) => (value === null ? 'off' : `${value}%`);

/** The breaker's configuration in words an operator reads. */
export function ConfigList({ config }: { config: TBreakerConfig | null }) {
  if (!config) return <p className={styles.muted}>No configuration reported yet.</p>;
  const rows: Array<[string, string]> = [
    ['Window', config.window.type === 'count' ? `last ${config.window.size} calls` : `last ${config.window.seconds} s`],
    ['Failure threshold', pct(config.failureRateThreshold)],
    ['Slow call', ms(config.slowCallThresholdMs)],
    ['Slow-call threshold', pct(config.slowCallRateThreshold)],
    ['Minimum calls', String(config.minimumCalls)],
    ['Open timeout', ms(config.openTimeoutMs) + (config.openTimeoutBackoff ? ` (×${config.openTimeoutBackoff.multiplier} up to ${config.openTimeoutBackoff.maxMs} ms)` : '')],
    ['Half-open trials', String(config.halfOpenMaxCalls)],
    ['Call timeout', ms(config.callTimeoutMs)],
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
