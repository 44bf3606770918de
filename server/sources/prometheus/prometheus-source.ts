import { randomUUID } from 'node:crypto';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import { parsePrometheusText } from '../prometheus-text';
import type { SourceAdapterContext, SourceKindDefinition } from '../source-adapter';
import type { SourceBreakerSnapshot } from '../source-snapshot';
import { startTargetPoller, type TargetPoller } from '../target-poller';
import { requestTarget, TargetError } from '../target-request';
import { scrapedBreakers, stateAfter, type TransitionCounts } from './scraped-breakers';

const ACCEPT = 'text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1';

/** The panel's instance name for a scrape target: host:port and the path (a scrape URL names one process). */
export function scrapeInstanceName(target: string): string {
  const url = new URL(target);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * One metrics endpoint: each scrape is parsed, its Resilience4j, opossum and
 * Polly breakers read, and the process counts as restarted when
 * `process_start_time_seconds` changes or a counter goes backwards. States
 * the libraries do not expose are derived from their transition counters.
 */
function createScrapeTarget(target: string, { source, sink, timeoutMs, now }: SourceAdapterContext) {
  const instance = scrapeInstanceName(target);
  let runId = randomUUID();
  let startTime: number | null = null;
  const lastCounts = new Map<string, { transitions: TransitionCounts | null; totals: number[] }>();
  const states = new Map<string, TBreakerState>();

  return async function scrape(): Promise<void> {
    try {
      const answer = await requestTarget(target, { accept: ACCEPT, credentials: source.credentials, timeoutMs });
      if (answer.status === 401 || answer.status === 403) throw new TargetError(`GET ${target}: HTTP ${answer.status}: check the source's credentials`, answer.status);
      if (answer.status !== 200) throw new TargetError(`GET ${target}: HTTP ${answer.status}`, answer.status);
      const parsed = parsePrometheusText(answer.text);
      if (parsed.samples.length === 0 && parsed.badLineCount > 0) throw new TargetError(`GET ${target}: the answer is not Prometheus text (${JSON.stringify(parsed.badLines[0])})`);
      const breakers = scrapedBreakers(parsed.samples);
      if (breakers.length === 0) throw new TargetError(`GET ${target}: no circuit breaker metrics found (Resilience4j, opossum-prometheus or Polly)`);

      const started = parsed.samples.find((sample) => sample.name === 'process_start_time_seconds')?.value ?? null;
      const totalsOf = (breaker: (typeof breakers)[number]) => [...Object.values(breaker.counters), ...(breaker.transitions ? Object.values(breaker.transitions) : [])];
      const wentBack = breakers.some((breaker) => {
        const before = lastCounts.get(breaker.name)?.totals;
        const after = totalsOf(breaker);
        return before !== undefined && after.some((value, index) => value < (before[index] ?? 0));
      });
      if ((started !== null && startTime !== null && started !== startTime) || wentBack) {
        runId = randomUUID();
        lastCounts.clear();
      }
      if (started !== null) startTime = started;

      const snapshots: SourceBreakerSnapshot[] = breakers.map((breaker) => {
        let state = breaker.state;
        if (state === null && breaker.transitions) {
          const before = lastCounts.get(breaker.name)?.transitions ?? { opened: 0, halfOpened: 0, closed: 0 };
          const delta = { opened: breaker.transitions.opened - before.opened, halfOpened: breaker.transitions.halfOpened - before.halfOpened, closed: breaker.transitions.closed - before.closed };
          state = stateAfter(states.get(breaker.name) ?? 'CLOSED', delta);
        }
        const resolved = state ?? 'CLOSED';
        states.set(breaker.name, resolved);
        lastCounts.set(breaker.name, { transitions: breaker.transitions, totals: totalsOf(breaker) });
        return { name: breaker.name, state: resolved, counters: breaker.counters, window: breaker.window, latency: null, writable: false };
      });
      await sink.snapshot(source.id, { service: source.service, instance, runId, observedAt: now(), breakers: snapshots, transitions: [] });
    } catch (error) {
      sink.unreachable(source.id, error instanceof Error ? error.message : String(error), instance);
      throw error;
    }
  };
}

/** Prometheus / OpenMetrics scrape: read-only, one poller per metrics URL. */
export const prometheusSource: SourceKindDefinition = {
  clientKind: 'prometheus',
  language: 'prometheus',
  start(context) {
    const { source, limit, onLag } = context;
    const pollers: TargetPoller[] = source.targets.map((target) =>
      startTargetPoller({ intervalMs: source.pollIntervalMs, limit, poll: createScrapeTarget(target, context), maxBackoffMs: Math.max(10_000, source.pollIntervalMs * 8), onLag }),
    );
    return {
      stop() {
        for (const poller of pollers) poller.stop();
      },
    };
  },
};
