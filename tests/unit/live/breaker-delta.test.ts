import { describe, expect, it } from 'vitest';
import type { TBreakerSummary } from '../../../lib/api/breaker-summary';
import { addRatesChange, emptyRatesChanges, withRatesChange, ZRatesChanges, type TRatesChanges } from '../../../lib/live/breaker-delta';
import { breakerSummary } from '../../fixtures/breaker-summary';

const summary = breakerSummary({ id: 'b1' });
const next: TBreakerSummary = { ...summary, rates: { callsPerSecond: 14, failureRate: null, slowCallRate: 2.5, rejectedPerSecond: 0.5, p50Ms: null, p90Ms: 10, p99Ms: 40 }, lastReportAt: 2_000 };

/** Two breakers' rates as the server builds them. */
function twoChanges(): TRatesChanges {
  const changes = emptyRatesChanges();
  addRatesChange(changes, 'b0', { callsPerSecond: 1, failureRate: 0, slowCallRate: 0, rejectedPerSecond: 0, p50Ms: 1, p90Ms: 2, p99Ms: 3 }, 1_500);
  addRatesChange(changes, next.id, next.rates, next.lastReportAt);
  return changes;
}

describe('rates-only deltas of the live stream', () => {
  it('hold one array per field, entry i of each being breaker ids[i]', () => {
    expect(twoChanges()).toEqual({
      ids: ['b0', 'b1'],
      callsPerSecond: [1, 14],
      failureRate: [0, null],
      slowCallRate: [0, 2.5],
      rejectedPerSecond: [0, 0.5],
      p50Ms: [1, null],
      p90Ms: [2, 10],
      p99Ms: [3, 40],
      lastReportAt: [1_500, 2_000],
    });
  });

  it('applied to the summary held, an entry gives the new summary, after a trip over the wire and the schema', () => {
    const received = ZRatesChanges.parse(JSON.parse(JSON.stringify(twoChanges())));
    const applied = withRatesChange(summary, received, 1);
    expect(applied).toEqual(next);
    expect(applied).not.toBe(summary);
    expect(summary.rates.callsPerSecond).toBe(12.5);
  });

  it('pass the schema when empty', () => {
    expect(ZRatesChanges.safeParse(emptyRatesChanges()).success).toBe(true);
  });

  it.each<[string, (changes: Record<string, unknown[]>) => void, string]>([
    ['a column shorter than the ids', (changes) => changes.p99Ms!.pop(), 'p99Ms'],
    ['a column longer than the ids', (changes) => changes.lastReportAt!.push(3_000), 'lastReportAt'],
    ['an id that is not a string', (changes) => (changes.ids![1] = 7), 'ids.1'],
    ['a negative call rate', (changes) => (changes.callsPerSecond![0] = -1), 'callsPerSecond.0'],
    ['a rate that is not a number', (changes) => (changes.failureRate![1] = '12'), 'failureRate.1'],
    ['a missing rejected rate (null)', (changes) => (changes.rejectedPerSecond![1] = null), 'rejectedPerSecond.1'],
    ['a column that is not an array', (changes) => ((changes as Record<string, unknown>).p50Ms = { 0: 1, 1: 2 }), 'p50Ms'],
    ['a missing column', (changes) => delete changes.slowCallRate, 'slowCallRate'],
  ])('are refused by the schema for %s, naming the field', (_, spoil, path) => {
    const changes = JSON.parse(JSON.stringify(twoChanges())) as Record<string, unknown[]>;
    spoil(changes);
    const checked = ZRatesChanges.safeParse(changes);
    expect(checked.success).toBe(false);
    expect(checked.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('are refused by the schema when the message carries the old tuples', () => {
    expect(ZRatesChanges.safeParse([['b1', 14, null, 2.5, 0.5, null, 10, 40, 2_000]]).success).toBe(false);
  });
});
