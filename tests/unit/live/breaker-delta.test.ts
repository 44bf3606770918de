import { describe, expect, it } from 'vitest';
import type { TBreakerSummary } from '../../../lib/api/breaker-summary';
import { ratesChange, withRatesChange } from '../../../lib/live/breaker-delta';
import { ZRatesChange } from '../../../lib/live/rates-change';
import { breakerSummary } from '../../fixtures/breaker-summary';

const summary = breakerSummary({ id: 'b1' });

describe('rates-only deltas of the live stream', () => {
  it('applied to the summary held, a rates change gives the new summary', () => {
    const next: TBreakerSummary = { ...summary, rates: { callsPerSecond: 14, failureRate: null, slowCallRate: 2.5, rejectedPerSecond: 0.5, p50Ms: null, p90Ms: 10, p99Ms: 40 }, lastReportAt: 2_000 };
    const change = ratesChange(next.id, next.rates, next.lastReportAt);
    const applied = withRatesChange(summary, change);
    expect(applied).toEqual(next);
    expect(applied).not.toBe(summary);
    // What crosses the wire (nulls included) is the schema's shape.
    const received = ZRatesChange.parse(JSON.parse(JSON.stringify(change)));
    expect(withRatesChange(summary, received)).toEqual(next);
  });

  it('is refused by its schema when a field is missing or of the wrong kind', () => {
    expect(ZRatesChange.safeParse({ id: 'b1', rates: summary.rates }).success).toBe(false);
    expect(ZRatesChange.safeParse({ id: 'b1', rates: { ...summary.rates, callsPerSecond: 'many' }, lastReportAt: null }).success).toBe(false);
  });
});
