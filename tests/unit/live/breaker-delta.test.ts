import { describe, expect, it } from 'vitest';
import type { TBreakerSummary } from '../../../lib/api/breaker-summary';
import { onlyRatesMoved, toRatesChange, withRatesChange } from '../../../lib/live/breaker-delta';
import { breakerSummary } from '../../fixtures/breaker-summary';

const summary = breakerSummary({ id: 'b1' });

describe('rates-only deltas of the live stream', () => {
  it('sends a rates change when only rates and the last report moved, and applying it gives the new summary', () => {
    const next: TBreakerSummary = { ...summary, rates: { callsPerSecond: 14, failureRate: null, slowCallRate: 2.5, rejectedPerSecond: 0.5, p50Ms: null, p90Ms: 10, p99Ms: 40 }, lastReportAt: 2_000 };
    expect(onlyRatesMoved(summary, next)).toBe(true);
    const change = toRatesChange(next);
    expect(change[0]).toBe('b1');
    const applied = withRatesChange(summary, change);
    expect(applied).toEqual(next);
    expect(applied).not.toBe(summary);
    // A tuple survives the wire (nulls included).
    expect(withRatesChange(summary, JSON.parse(JSON.stringify(change)) as typeof change)).toEqual(next);
  });

  it.each<[string, Partial<TBreakerSummary>]>([
    ['state', { state: 'OPEN' }],
    ['would-be state', { wouldBe: 'OPEN' }],
    ['state since', { stateSince: 900 }],
    ['name', { name: 'renamed' }],
    ['service', { service: 'other' }],
    ['demo flag', { demo: true }],
    ['override', { override: { id: 'o1', breakerId: 'b1', state: 'FORCED_OPEN', scope: { all: true }, reason: 'incident 42', by: 'ana@example.test', createdAt: 1_500, expiresAt: null, commandId: 'c1' } }],
    ['total instances', { instances: { ...summary.instances, total: 4 } }],
    ['stale instances', { instances: { ...summary.instances, stale: 1 } }],
    ...(['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'FORCED_CLOSED'] as const).map((state): [string, Partial<TBreakerSummary>] => [`instances in ${state}`, { instances: { ...summary.instances, byState: { ...summary.instances.byState, [state]: summary.instances.byState[state] + 1 } } }]),
  ])('sends the whole summary when the %s changed', (_field, changed) => {
    expect(onlyRatesMoved(summary, { ...summary, ...changed })).toBe(false);
  });
});
