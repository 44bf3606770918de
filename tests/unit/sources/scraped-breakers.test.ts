import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../../server/sources/prometheus-text';
import { scrapedBreakers, stateAfter } from '../../../server/sources/prometheus/scraped-breakers';

describe('breakers in a scrape', () => {
  it('reads Resilience4j Micrometer meters (COMPAT.md §4)', () => {
    const { samples } = parsePrometheusText(`
resilience4j_circuitbreaker_state{name="inventory",state="open"} 1.0
resilience4j_circuitbreaker_state{name="inventory",state="closed"} 0.0
resilience4j_circuitbreaker_calls_seconds_count{kind="failed",name="inventory"} 214.0
resilience4j_circuitbreaker_calls_seconds_count{kind="successful",name="inventory"} 1000.0
resilience4j_circuitbreaker_not_permitted_calls_total{kind="not_permitted",name="inventory"} 57.0
resilience4j_circuitbreaker_failure_rate{name="inventory"} 62.5
resilience4j_circuitbreaker_slow_call_rate{name="inventory"} -1.0
resilience4j_circuitbreaker_buffered_calls{kind="failed",name="inventory"} 10.0
resilience4j_circuitbreaker_buffered_calls{kind="successful",name="inventory"} 6.0
`);
    expect(scrapedBreakers(samples)).toEqual([
      {
        name: 'inventory',
        library: 'resilience4j',
        state: 'OPEN',
        transitions: null,
        counters: { success: 1000, failure: 214, timeout: 0, rejected: 57, slow: 0, fallback: 0 },
        window: { calls: 16, failureRate: 62.5, slowCallRate: 0 },
      },
    ]);
  });

  it('reads the legacy numeric state gauge and calls counter', () => {
    const { samples } = parsePrometheusText('resilience4j_circuitbreaker_state{name="a"} 2\nresilience4j_circuitbreaker_calls{kind="successful",name="a"} 5\n');
    expect(scrapedBreakers(samples)[0]).toMatchObject({ state: 'HALF_OPEN', counters: { success: 5 } });
  });

  it('reads opossum-prometheus, taking timeouts out of failures (COMPAT.md §6.2)', () => {
    const { samples } = parsePrometheusText(
      'circuit{name="fetch",event="failure"} 9\ncircuit{name="fetch",event="timeout"} 4\ncircuit{name="fetch",event="success"} 20\ncircuit{name="fetch",event="reject"} 3\ncircuit{name="fetch",event="open"} 1\ncircuit_perf_count{name="fetch",event="success"} 20\n',
    );
    expect(scrapedBreakers(samples)).toEqual([
      {
        name: 'fetch',
        library: 'opossum',
        state: null,
        transitions: { opened: 1, halfOpened: 0, closed: 0 },
        counters: { success: 20, failure: 5, timeout: 4, rejected: 3, slow: 0, fallback: 0 },
        window: null,
      },
    ]);
  });

  it('reads Polly transition events keyed by pipeline and strategy (COMPAT.md §7.2)', () => {
    const { samples } = parsePrometheusText(
      'resilience_polly_strategy_events_total{event_name="OnCircuitOpened",pipeline_name="orders-http",pipeline_instance="",strategy_name="cb-inventory"} 3\nresilience_polly_strategy_events_total{event_name="OnRetry",pipeline_name="orders-http",strategy_name="retry"} 8\n',
    );
    expect(scrapedBreakers(samples)).toEqual([
      {
        name: 'orders-http/cb-inventory',
        library: 'polly',
        state: null,
        transitions: { opened: 3, halfOpened: 0, closed: 0 },
        counters: { success: 0, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 },
        window: null,
      },
    ]);
  });

  it('walks transition counts in the only order they can happen', () => {
    expect(stateAfter('CLOSED', { opened: 0, halfOpened: 0, closed: 0 })).toBe('CLOSED');
    expect(stateAfter('CLOSED', { opened: 1, halfOpened: 0, closed: 0 })).toBe('OPEN');
    expect(stateAfter('OPEN', { opened: 0, halfOpened: 1, closed: 0 })).toBe('HALF_OPEN');
    expect(stateAfter('HALF_OPEN', { opened: 0, halfOpened: 0, closed: 1 })).toBe('CLOSED');
    expect(stateAfter('CLOSED', { opened: 1, halfOpened: 1, closed: 1 })).toBe('CLOSED');
    expect(stateAfter('HALF_OPEN', { opened: 1, halfOpened: 1, closed: 1 })).toBe('CLOSED');
    expect(stateAfter('HALF_OPEN', { opened: 1, halfOpened: 0, closed: 0 })).toBe('OPEN');
    // No half-open counted (opossum-prometheus usually): open then close.
    expect(stateAfter('CLOSED', { opened: 1, halfOpened: 0, closed: 1 })).toBe('CLOSED');
  });
});
