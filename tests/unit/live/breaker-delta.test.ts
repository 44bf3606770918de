import { describe, expect, it } from 'vitest';
import type { TBreakerSummary } from '../../../lib/api/breaker-summary';
import { ratesChange, withRatesChange } from '../../../lib/live/breaker-delta';
import { breakerSummary } from '../../fixtures/breaker-summary';

const summary = breakerSummary({ id: 'b1' });

describe('rates-only deltas of the live stream', () => {
  it('applied to the summary held, a rates change gives the new summary', () => {
    const next: TBreakerSummary = { ...summary, rates: { callsPerSecond: 14, failureRate: null, slowCallRate: 2.5, rejectedPerSecond: 0.5, p50Ms: null, p90Ms: 10, p99Ms: 40 }, lastReportAt: 2_000 };
    const change = ratesChange(next.id, next.rates, next.lastReportAt);
    expect(change[0]).toBe('b1');
    const applied = withRatesChange(summary, change);
    expect(applied).toEqual(next);
    expect(applied).not.toBe(summary);
    // A tuple survives the wire (nulls included).
    expect(withRatesChange(summary, JSON.parse(JSON.stringify(change)) as typeof change)).toEqual(next);
  });
});
