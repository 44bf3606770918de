import type { TOutcomeCounters, TWindowSnapshot } from '../../../lib/protocol/breaker-report.js';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import type { PromSample } from '../prometheus-text';

/** Transition events counted since the process started (the libraries that give no state gauge). */
export interface TransitionCounts {
  opened: number;
  halfOpened: number;
  closed: number;
}

/** One breaker as a scrape shows it: a state (or transition counts to derive one from), cumulative counters, the window when given. */
export interface ScrapedBreaker {
  name: string;
  library: 'resilience4j' | 'opossum' | 'polly';
  state: TBreakerState | null;
  transitions: TransitionCounts | null;
  counters: TOutcomeCounters;
  window: TWindowSnapshot | null;
}

const zero = (): TOutcomeCounters => ({ success: 0, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 });
const count = (value: number) => (Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0);

const R4J_STATES: Record<string, TBreakerState> = { closed: 'CLOSED', open: 'OPEN', half_open: 'HALF_OPEN', forced_open: 'FORCED_OPEN', disabled: 'FORCED_CLOSED', metrics_only: 'FORCED_CLOSED' };
// The early binder's single numeric state gauge: CircuitBreaker.State's order (CLOSED 0 … METRICS_ONLY 5).
const R4J_STATE_ORDER: TBreakerState[] = ['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_CLOSED', 'FORCED_OPEN', 'FORCED_CLOSED'];

/**
 * Resilience4j's Micrometer meters (COMPAT.md §4): a 0/1 gauge per state,
 * cumulative call timers by kind and the not-permitted counter; the legacy
 * names of the early binder are read too. Slow calls, timeouts and
 * fallbacks have no cumulative meter and stay at zero.
 */
function readResilience4j(samples: PromSample[]): ScrapedBreaker[] {
  const byName = new Map<string, ScrapedBreaker>();
  const entry = (name: string) => {
    let breaker = byName.get(name);
    if (!breaker) {
      breaker = { name, library: 'resilience4j', state: null, transitions: null, counters: zero(), window: null };
      byName.set(name, breaker);
    }
    return breaker;
  };
  const rates = new Map<string, { failure: number | null; slow: number | null; calls: number }>();
  for (const sample of samples) {
    const name = sample.labels.name;
    if (!name || !sample.name.startsWith('resilience4j_circuitbreaker_')) continue;
    const metric = sample.name.slice('resilience4j_circuitbreaker_'.length);
    const breaker = entry(name);
    const rate = rates.get(name) ?? { failure: null, slow: null, calls: 0 };
    rates.set(name, rate);
    if (metric === 'state') {
      const labelled = sample.labels.state;
      if (labelled !== undefined) {
        if (sample.value === 1 && R4J_STATES[labelled]) breaker.state = R4J_STATES[labelled];
      } else breaker.state = R4J_STATE_ORDER[Math.trunc(sample.value)] ?? breaker.state;
    } else if (metric === 'calls_seconds_count' || metric === 'calls' || metric === 'calls_total') {
      if (sample.labels.kind === 'successful') breaker.counters.success = count(sample.value);
      else if (sample.labels.kind === 'failed') breaker.counters.failure = count(sample.value);
    } else if (metric === 'not_permitted_calls_total' || metric === 'not_permitted_calls') {
      breaker.counters.rejected = count(sample.value);
    } else if (metric === 'failure_rate') rate.failure = sample.value >= 0 ? Math.min(100, sample.value) : null;
    else if (metric === 'slow_call_rate') rate.slow = sample.value >= 0 ? Math.min(100, sample.value) : null;
    else if (metric === 'buffered_calls') rate.calls += count(sample.value);
  }
  for (const [name, rate] of rates) {
    const breaker = byName.get(name)!;
    breaker.window = { calls: rate.calls, failureRate: rate.failure ?? 0, slowCallRate: rate.slow ?? 0 };
  }
  return [...byName.values()];
}

/**
 * opossum-prometheus (COMPAT.md §6.2): one counter `{prefix}circuit` with
 * labels name and event, no `_total`, no state. A timeout is counted as
 * `timeout` and again as `failure`, so failures here are failure − timeout.
 */
function readOpossum(samples: PromSample[]): ScrapedBreaker[] {
  const events = new Map<string, Map<string, number>>();
  for (const sample of samples) {
    const { name, event } = sample.labels;
    if (!name || !event || !/circuit(_total)?$/.test(sample.name) || sample.name.endsWith('_perf')) continue;
    const byEvent = events.get(name) ?? new Map<string, number>();
    events.set(name, byEvent);
    byEvent.set(event, count(sample.value));
  }
  return [...events].map(([name, byEvent]) => {
    const of = (event: string) => byEvent.get(event) ?? 0;
    return {
      name,
      library: 'opossum',
      state: null,
      transitions: { opened: of('open'), halfOpened: of('halfOpen'), closed: of('close') },
      counters: { success: of('success'), failure: Math.max(0, of('failure') - of('timeout')), timeout: of('timeout'), rejected: of('reject'), slow: 0, fallback: of('fallback') },
      window: null,
    };
  });
}

/**
 * Polly v8's OpenTelemetry counter through a Prometheus exporter (COMPAT.md
 * §7.2): transition events only, keyed by pipeline name, pipeline instance
 * and strategy name. Polly gives no call outcomes per breaker: counters stay zero.
 */
function readPolly(samples: PromSample[]): ScrapedBreaker[] {
  const byKey = new Map<string, TransitionCounts>();
  for (const sample of samples) {
    if (!/^resilience_polly_strategy_events(_total)?$/.test(sample.name)) continue;
    const event = sample.labels.event_name;
    if (event !== 'OnCircuitOpened' && event !== 'OnCircuitHalfOpened' && event !== 'OnCircuitClosed') continue;
    const key = [sample.labels.pipeline_name, sample.labels.pipeline_instance, sample.labels.strategy_name ?? 'CircuitBreaker'].filter((part) => part !== undefined && part !== '').join('/');
    const counts = byKey.get(key) ?? { opened: 0, halfOpened: 0, closed: 0 };
    byKey.set(key, counts);
    const value = count(sample.value);
    if (event === 'OnCircuitOpened') counts.opened += value;
    else if (event === 'OnCircuitHalfOpened') counts.halfOpened += value;
    else counts.closed += value;
  }
  return [...byKey].map(([name, transitions]) => ({ name, library: 'polly', state: null, transitions, counters: zero(), window: null }));
}

/** Every breaker a scrape shows, whichever of the three libraries exposed it. */
export function scrapedBreakers(samples: PromSample[]): ScrapedBreaker[] {
  return [...readResilience4j(samples), ...readOpossum(samples), ...readPolly(samples)];
}

/**
 * The state after the transition events counted since the last scrape,
 * walking the only order they can happen in (CLOSED → OPEN → HALF_OPEN →
 * CLOSED or OPEN again). Several transitions between two scrapes collapse
 * into the end state; with no half-open count (opossum-prometheus usually
 * has none), OPEN goes straight to CLOSED.
 */
export function stateAfter(previous: TBreakerState, delta: TransitionCounts): TBreakerState {
  let { opened, halfOpened, closed } = delta;
  let state: TBreakerState = previous === 'HALF_OPEN' || previous === 'OPEN' ? previous : 'CLOSED';
  for (let steps = 0; steps < 10_000 && opened + halfOpened + closed > 0; steps++) {
    if (state === 'CLOSED') {
      if (opened > 0) {
        opened -= 1;
        state = 'OPEN';
      } else if (closed > 0) closed -= 1;
      else halfOpened = 0;
    } else if (state === 'OPEN') {
      if (halfOpened > 0) {
        halfOpened -= 1;
        state = 'HALF_OPEN';
      } else if (closed > 0) {
        closed -= 1;
        state = 'CLOSED';
      } else opened = 0;
    } else if (opened > 0 && (halfOpened > 0 || closed === 0)) {
      // A failed trial opens it again; another half-open counted later means that cycle came first.
      opened -= 1;
      state = 'OPEN';
    } else if (closed > 0) {
      closed -= 1;
      state = 'CLOSED';
    } else halfOpened = 0;
  }
  return state;
}
