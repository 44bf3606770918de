import { describe, expect, it } from 'vitest';
import type { TBreakerReport } from '../../../lib/protocol/breaker-report.js';
import { emptyCounts, takeDelta } from '../../../server/aggregate/counter-deltas';

const report = (success: number, failure: number, histogram: number[] = []): TBreakerReport => ({
  name: 'dep',
  state: 'CLOSED',
  wouldBe: 'CLOSED',
  override: null,
  counters: { success, failure, timeout: 0, rejected: 0, slow: 0, fallback: 0 },
  latency: { counts: histogram, sumMs: 0 },
  window: { calls: 0, failureRate: 0, slowCallRate: 0 },
});

describe('takeDelta', () => {
  it('counts a new run in full from zero totals', () => {
    const delta = emptyCounts();
    const { last, restarted } = takeDelta(emptyCounts(), report(5, 2, [1, 3]), delta);
    expect(restarted).toBe(false);
    expect([...delta.counts.slice(0, 2)]).toEqual([5, 2]);
    expect([...delta.histogram.slice(0, 3)]).toEqual([1, 3, 0]);
    expect([...last.counts.slice(0, 2)]).toEqual([5, 2]);
  });

  it('takes the difference between cumulative reports', () => {
    const delta = emptyCounts();
    const { last } = takeDelta(emptyCounts(), report(5, 2, [1, 3]), delta);
    takeDelta(last, report(9, 2, [2, 3, 1]), delta);
    expect([...delta.counts.slice(0, 2)]).toEqual([4, 0]);
    expect([...delta.histogram.slice(0, 3)]).toEqual([1, 0, 1]);
  });

  it('takes the new value, never a negative one, when a counter goes backwards', () => {
    const delta = emptyCounts();
    const { last } = takeDelta(emptyCounts(), report(50, 5), delta);
    const { restarted } = takeDelta(last, report(3, 9), delta);
    expect(restarted).toBe(true);
    expect([...delta.counts.slice(0, 2)]).toEqual([3, 9]);
    expect(Math.min(...delta.counts)).toBeGreaterThanOrEqual(0);
  });

  it('only sets the baseline when none is known (the server joined a run midway)', () => {
    const delta = emptyCounts();
    const { last } = takeDelta(null, report(500, 20), delta);
    expect([...delta.counts]).toEqual([0, 0, 0, 0, 0, 0]);
    takeDelta(last, report(510, 20), delta);
    expect(delta.counts[0]).toBe(10);
  });
});
