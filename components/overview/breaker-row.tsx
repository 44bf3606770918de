import Link from 'next/link';
import type { TBreakerStatus } from '../../lib/api/breaker-status';
import { SOURCE_CLIENT_KINDS } from '../../lib/api/reporter-client';
import type { TBreakerSummary } from '../../lib/api/breaker-summary';
import { Sparkline } from '../sparkline';
import { allRejected, allRejectedText } from '../rejected-calls-text';
import { clientKindText, noLatencyReason } from '../reporter-client-text';
import { StateBadge } from '../state-badge';
import { formatLatency } from '../../lib/format/humanize';
import { formatPercent, formatRate } from './format';
import styles from './overview.module.css';

/**
 * The clients behind a breaker, when not only the Node SDK over sockets (the
 * usual case stays quiet): "Python · 2 over HTTP", "Prometheus scrape
 * (read-only)". Sources are read by the panel itself, so "over HTTP" is left
 * out when they are all there is.
 */
function clientsHint({ clients }: TBreakerSummary): string | null {
  if (clients.httpInstances === 0 && clients.kinds.every((kind) => kind === 'node-sdk')) return null;
  const kinds = clients.kinds.map(clientKindText).join(', ');
  const onlySources = clients.kinds.every((kind) => SOURCE_CLIENT_KINDS.some((source) => source === kind));
  return clients.httpInstances > 0 && !onlySources ? `${kinds} · ${clients.httpInstances} over HTTP` : kinds;
}

function instancesText(summary: TBreakerSummary): string {
  const { total, stale, byState } = summary.instances;
  const open = byState.OPEN + byState.FORCED_OPEN;
  const live = total - stale;
  const main = open > 0 ? `${open}/${total} open` : byState.HALF_OPEN > 0 ? `${byState.HALF_OPEN}/${total} half-open` : `${live}/${total} live`;
  return stale > 0 ? `${main} · ${stale} stale` : main;
}

export interface RowSelection {
  selected: boolean;
  onToggle(): void;
}

/** One breaker in the overview: presentational, everything comes in as props. */
export function BreakerRow({ summary, status, trend, selection }: { summary: TBreakerSummary; status: TBreakerStatus; trend: readonly number[]; selection?: RowSelection }) {
  const { rates } = summary;
  const hint = clientsHint(summary);
  const noLatency = noLatencyReason(summary.clients.kinds);
  // An open breaker runs no call: its empty failure rate and p99 say why instead of a bare dash.
  const rejectedOnly = allRejected(rates) ? allRejectedText({ perSecond: rates.rejectedPerSecond }, summary.state) : null;
  return (
    <div className={styles.row} role="row" data-status={status}>
      <span role="cell">{selection && <input type="checkbox" checked={selection.selected} onChange={selection.onToggle} aria-label={`Select ${summary.service} ${summary.name}`} />}</span>
      <span role="cell" className={styles.service}>
        {summary.service}
        {summary.demo && <span className={styles.demo}> demo</span>}
      </span>
      <span role="cell" className={styles.name}>
        {/* No prefetch: scrolling 10,000 rows would ask the server for every detail page that passes by. */}
        <Link href={`/breakers/${summary.id}`} prefetch={false}>
          {summary.name}
        </Link>
        {summary.override && (
          <span
            className={styles.override}
            title={`${summary.override.state === 'FORCED_OPEN' ? 'Tripped' : 'Forced closed'} by ${summary.override.by ?? 'unknown'}: ${summary.override.reason}${summary.override.expiresAt ? `; ends ${new Date(summary.override.expiresAt).toLocaleTimeString()}` : ''}`}
          >
            {' '}
            · by hand: {summary.override.reason}
          </span>
        )}
      </span>
      <span role="cell">
        <StateBadge status={status} />
      </span>
      <span role="cell" className={summary.instances.stale > 0 ? styles.staleText : undefined}>
        {instancesText(summary)}
        {hint && (
          <span className={styles.clients} title="Instances over HTTP fetch an operator's command with their next batch or long poll; socket instances get it at once">
            {' '}
            · {hint}
          </span>
        )}
      </span>
      <span role="cell" className={styles.number}>
        {formatRate(rates.callsPerSecond)}/s
      </span>
      <span role="cell" className={styles.number} title={rejectedOnly ?? undefined}>
        {rejectedOnly ? <span className={styles.rejectedOnly}>rejected</span> : formatPercent(rates.failureRate)}
      </span>
      <span role="cell" className={styles.number}>
        {formatPercent(rates.slowCallRate)}
      </span>
      <span role="cell" className={styles.number} title={rejectedOnly ?? noLatency ?? undefined}>
        {rejectedOnly ? <span className={styles.rejectedOnly}>no calls</span> : noLatency && rates.p99Ms === null ? <span aria-label={noLatency}>–</span> : formatLatency(rates.p99Ms)}
      </span>
      <span role="cell" className={styles.trend}>
        <Sparkline values={trend} label={`Calls per second, last 15 minutes, ${summary.service} ${summary.name}`} />
      </span>
    </div>
  );
}

export const ROW_HEADERS = ['', 'Service', 'Breaker', 'State', 'Instances', 'Calls', 'Failures', 'Slow', 'p99', 'Last 15 min'] as const;
