import { describe, expect, it } from 'vitest';
import type { TBreakerReport } from '../../../lib/protocol/breaker-report.js';
import { COUNT_WIDTH, countRow, deltaWidth, HISTOGRAM_OFFSET, nonZeroIndices, takeDelta as takePackedDelta } from '../../../server/aggregate/counter-deltas';
import { nameFullReport } from '../../../server/ingest/named-report';
import { instanceRun } from '../../fixtures/protocol-messages';

const report = (success: number, failure: number, histogram: number[] = []): TBreakerReport => ({
  name: 'dep',
  state: 'CLOSED',
  wouldBe: 'CLOSED',
  override: null,
  counters: { success, failure, timeout: 0, rejected: 0, slow: 0, fallback: 0 },
  latency: { counts: histogram, sumMs: 0 },
  window: { calls: 0, failureRate: 0, slowCallRate: 0 },
});

/** One breaker's numbers as a compact report carries them. */
const packed = (item: TBreakerReport) => nameFullReport(instanceRun('svc', 'host').report([item])).numbers;
const takeDelta = (totals: Float64Array, hasBaseline: boolean, item: TBreakerReport, delta: Float64Array) =>
  takePackedDelta({ totals, rowAt: 0, width: totals.length }, hasBaseline, packed(item), 0, delta);

const counts = (row: Float64Array) => [...row.subarray(0, 2)];
const histogram = (row: Float64Array, length: number) => [...row.subarray(HISTOGRAM_OFFSET, HISTOGRAM_OFFSET + length)];

describe('takeDelta', () => {
  it('counts a new run in full from zero totals', () => {
    const totals = countRow();
    const delta = countRow();
    expect(takeDelta(totals, true, report(5, 2, [1, 3]), delta)).toBe(false);
    expect(counts(delta)).toEqual([5, 2]);
    expect(histogram(delta, 3)).toEqual([1, 3, 0]);
    expect(counts(totals)).toEqual([5, 2]);
  });

  it('takes the difference between cumulative reports', () => {
    const totals = countRow();
    const delta = countRow();
    takeDelta(totals, true, report(5, 2, [1, 3]), delta);
    takeDelta(totals, true, report(9, 2, [2, 3, 1]), delta);
    expect(counts(delta)).toEqual([4, 0]);
    expect(histogram(delta, 3)).toEqual([1, 0, 1]);
    expect(histogram(totals, 3)).toEqual([2, 3, 1]);
  });

  it('takes the new value, never a negative one, when a counter goes backwards', () => {
    const totals = countRow();
    const delta = countRow();
    takeDelta(totals, true, report(50, 5), delta);
    expect(takeDelta(totals, true, report(3, 9), delta)).toBe(true);
    expect(counts(delta)).toEqual([3, 9]);
    expect(Math.min(...delta)).toBeGreaterThanOrEqual(0);
  });

  it('treats a histogram bucket that shrank (or was trimmed away) as a restart', () => {
    const totals = countRow();
    const delta = countRow();
    takeDelta(totals, true, report(5, 0, [1, 4]), delta);
    expect(takeDelta(totals, true, report(6, 0, [2]), delta)).toBe(true);
    expect(counts(delta)).toEqual([6, 0]);
    expect(histogram(delta, 2)).toEqual([2, 0]);
    expect(histogram(totals, 2)).toEqual([2, 0]);
  });

  it('only sets the baseline when none is known (the server joined a run midway)', () => {
    const totals = countRow().fill(7);
    const delta = countRow();
    takeDelta(totals, false, report(500, 20), delta);
    expect([...delta]).toEqual(new Array(COUNT_WIDTH).fill(0));
    takeDelta(totals, true, report(510, 20), delta);
    expect(delta[0]).toBe(10);
  });

  it('leaves nothing non-zero past the reported histogram, so adding stops at deltaWidth', () => {
    const totals = countRow();
    const delta = countRow();
    const item = report(5, 0, [0, 0, 4]);
    takeDelta(totals, true, report(1, 0, [0, 0, 1]), delta);
    takeDelta(totals, true, item, delta);
    expect(deltaWidth(packed(item), 0)).toBe(HISTOGRAM_OFFSET + 3);
    expect(delta.subarray(deltaWidth(packed(item), 0)).every((value) => value === 0)).toBe(true);
    expect(histogram(delta, 3)).toEqual([0, 0, 3]);
  });

  it('writes the delta only as far as the totals reach', () => {
    const totals = new Float64Array(HISTOGRAM_OFFSET + 8);
    const delta = countRow().fill(-1);
    takeDelta(totals, true, report(5, 1, [2]), delta);
    expect(counts(delta)).toEqual([5, 1]);
    expect([...delta.subarray(HISTOGRAM_OFFSET, totals.length)]).toEqual([2, 0, 0, 0, 0, 0, 0, 0]);
    expect(delta.subarray(totals.length).every((value) => value === -1)).toBe(true);
  });

  it('zeroes a no-baseline delta as far as the totals reach', () => {
    const totals = new Float64Array(HISTOGRAM_OFFSET + 8).fill(3);
    const delta = countRow().fill(-1);
    takeDelta(totals, false, report(500, 20, [9]), delta);
    expect(delta.subarray(0, totals.length).every((value) => value === 0)).toBe(true);
    expect([...totals.subarray(0, HISTOGRAM_OFFSET + 2)]).toEqual([500, 20, 0, 0, 0, 0, 9, 0]);
  });
});

describe('nonZeroIndices', () => {
  it('lists where a row is not zero, in order, as far as the width', () => {
    const row = countRow();
    row[2] = 1;
    row[HISTOGRAM_OFFSET] = 3;
    row[HISTOGRAM_OFFSET + 4] = 2;
    const into = new Int32Array(COUNT_WIDTH);
    expect(nonZeroIndices(row, HISTOGRAM_OFFSET + 4, into)).toBe(2);
    expect([...into.subarray(0, 2)]).toEqual([2, HISTOGRAM_OFFSET]);
    expect(nonZeroIndices(row, COUNT_WIDTH, into)).toBe(3);
    expect(into[2]).toBe(HISTOGRAM_OFFSET + 4);
  });
});
