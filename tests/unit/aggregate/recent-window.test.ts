import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyQuantile } from '../../../lib/protocol/latency-buckets.js';
import { COUNT_WIDTH, countRow, HISTOGRAM_OFFSET } from '../../../server/aggregate/counter-deltas';
import { OUTCOME } from '../../../server/aggregate/outcome-kinds';
import { PendingWrites } from '../../../server/aggregate/pending-writes';
import { RecentWindow } from '../../../server/aggregate/recent-window';

function delta(success: number, histogram: number[]): Float64Array {
  const row = countRow();
  row[OUTCOME.success] = success;
  row.set(histogram, HISTOGRAM_OFFSET);
  return row;
}

/** A breaker's window over a slot of `pending`, fed as the aggregate feeds it. */
function windowOf(pending = new PendingWrites(10_000), slot = pending.breakerSlot('b1')) {
  const window = new RecentWindow(pending, slot);
  return {
    pending,
    add(row: Float64Array, at: number, width = COUNT_WIDTH) {
      pending.breakerBuckets.add(slot, pending.bucketOf(at), row, width);
      window.counted(at);
    },
    rates: (now: number) => window.rates(now),
  };
}

describe('RecentWindow', () => {
  it('gives the quantiles latencyQuantile gives over the merged histogram', () => {
    const histogram = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })), { minLength: COUNT_WIDTH - HISTOGRAM_OFFSET, maxLength: COUNT_WIDTH - HISTOGRAM_OFFSET });
    fc.assert(
      fc.property(fc.tuple(histogram, histogram, histogram), (histograms) => {
        const window = windowOf();
        const merged = new Array<number>(COUNT_WIDTH - HISTOGRAM_OFFSET).fill(0);
        for (const [index, at] of [1_000, 5_000, 12_000].entries()) {
          window.add(delta(1, histograms[index]!), at);
          histograms[index]!.forEach((count, i) => (merged[i]! += count));
        }
        const rates = window.rates(15_000);
        // Rates go out with three decimals (microseconds for latency): the same quantiles, rounded.
        const rounded = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
        expect([rates.p50Ms, rates.p90Ms, rates.p99Ms]).toEqual([latencyQuantile(merged, 0.5), latencyQuantile(merged, 0.9), latencyQuantile(merged, 0.99)].map(rounded));
      }),
      { numRuns: 200 },
    );
  });

  it("reads one breaker's counts, whatever another window left in the row they share", () => {
    const wide = windowOf();
    wide.add(delta(10, new Array<number>(60).fill(5)), 1_000);
    const narrow = windowOf(wide.pending, wide.pending.breakerSlot('b2'));
    narrow.add(delta(10, [0, 10]), 1_000, HISTOGRAM_OFFSET + 2);
    const alone = narrow.rates(2_000);
    wide.rates(2_000);
    expect(narrow.rates(2_000)).toEqual(alone);
    expect([alone.p50Ms, alone.p99Ms]).toEqual([latencyQuantile([0, 10], 0.5), latencyQuantile([0, 10], 0.99)].map((value) => Math.round(value! * 1000) / 1000));
  });

  it('covers the current and the previous bucket only, and no quantile without calls', () => {
    const window = windowOf();
    window.add(delta(100, [0, 100]), 1_000);
    window.add(delta(50, [50]), 11_000);
    expect(window.rates(12_000).callsPerSecond).toBeCloseTo(150 / 12);
    // Two buckets later the first is gone; a gap of a whole bucket leaves nothing.
    expect(window.rates(21_000).callsPerSecond).toBeCloseTo(50 / 11);
    expect(window.rates(45_000)).toMatchObject({ callsPerSecond: 0, failureRate: null, p50Ms: null, p99Ms: null });
  });

  it('counts the buckets being written and written ones while they are recent, and nothing twice', () => {
    const window = windowOf();
    const { pending } = window;
    window.add(delta(100, [100]), 1_000);
    window.add(delta(50, [50]), 11_000);
    const expected = window.rates(12_000);
    expect(expected.callsPerSecond).toBeCloseTo(150 / 12);
    const flushing = pending.take(10_000);
    expect(window.rates(12_000)).toEqual(expected);
    pending.giveBack(flushing);
    expect(window.rates(12_000)).toEqual(expected);
    pending.release(pending.take(10_000));
    expect(window.rates(12_000)).toEqual(expected);
    // Everything written, the open bucket too (a full flush), and more counted in it since.
    pending.release(pending.take());
    window.add(delta(30, [30]), 11_500);
    expect(window.rates(12_000).callsPerSecond).toBeCloseTo(180 / 12);
    // Older than the previous bucket, written rows are let go.
    window.add(delta(1, [1]), 31_000);
    pending.release(pending.take());
    expect(window.rates(32_000).callsPerSecond).toBeCloseTo(1 / 12);
  });
});
