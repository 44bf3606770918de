import type { TRecentRates } from '../../lib/api/breaker-summary';
import { formatLatency } from '../../lib/format/humanize';
import type { TBreakerState } from '../../lib/protocol/breaker-state';
import { formatPercent, formatRate } from '../overview/format';
import { allRejected, allRejectedText } from '../rejected-calls-text';
import styles from './breaker-detail.module.css';

export interface LiveFiguresProps {
  rates: TRecentRates;
  state: TBreakerState | null;
  /** Calls rejected since the breaker last ran one, when the series knows it (0 when unknown). */
  rejectedSinceLastCall: number;
  /** Set when only sources report this breaker and none gives latency: said instead of a p99 dash. */
  noLatency?: string | null;
}

/** The breaker's recent rates in one line; an open breaker that runs no call says so instead of showing dashes. */
export function LiveFigures({ rates, state, rejectedSinceLastCall, noLatency = null }: LiveFiguresProps) {
  let text: string;
  if (allRejected(rates)) {
    const sentence = allRejectedText(rejectedSinceLastCall > 0 ? { count: rejectedSinceLastCall } : { perSecond: rates.rejectedPerSecond }, state);
    text = `${sentence[0]!.toUpperCase()}${sentence.slice(1)}, so there is no failure rate or p99.`;
  } else if (rates.callsPerSecond === 0) text = 'No calls in the last seconds.';
  else {
    const latency = noLatency && rates.p99Ms === null ? 'no latency from its source' : `p99 ${formatLatency(rates.p99Ms)}`;
    text = `${formatRate(rates.callsPerSecond)} calls/s · failures ${formatPercent(rates.failureRate)} · slow ${formatPercent(rates.slowCallRate)} · ${latency}`;
  }
  return (
    <section aria-label="Recent rates">
      <p className={styles.liveFigures}>
        <span className={styles.muted}>Now: </span>
        {text}
      </p>
    </section>
  );
}
