import { latencyBucketMidpoint } from '../../lib/protocol/latency-buckets.js';
import type { TRecentRates } from '../../lib/api/breaker-summary.js';
import { addRow, COUNT_WIDTH, countRow, HISTOGRAM_OFFSET } from './counter-deltas';
import { OUTCOME } from './outcome-kinds';

const QUANTILES = [0.5, 0.9, 0.99] as const;

// Three decimals are more than any screen shows, and 17-digit floats made up a
// good part of every dashboard delta (10,000 summaries a second at scale).
const round = (value: number) => Math.round(value * 1000) / 1000;
const roundOrNull = (value: number | null) => (value === null ? null : round(value));

/**
 * A breaker's counts over the current and the previous time bucket, so that
 * rates cover 10 to 20 seconds of traffic whatever the moment of asking.
 * Rows are in the flat COUNT_WIDTH layout and reused when the buckets roll:
 * adding and reading allocate nothing but the rates object.
 */
export class RecentWindow {
  private current = countRow();
  private previous = countRow();
  private hasPrevious = false;
  private currentStart: number;
  /** When counts first arrived: a breaker that began reporting a second ago has a second of traffic, not ten. */
  private firstAt: number | null = null;
  /** How far into a row any delta added so far reached: past it both rows are zeros, and rates() reads no further. */
  private width: number = HISTOGRAM_OFFSET;
  /** current + previous, rebuilt by rates(): one scratch row for every window (rates() runs to completion, synchronously). */
  private static readonly total = countRow();
  private readonly quantiles = new Array<number | null>(QUANTILES.length).fill(null);

  constructor(
    private readonly bucketMs: number,
    now: number,
  ) {
    this.currentStart = now - (now % bucketMs);
  }

  /** Adds a delta row; `width` may stop short of COUNT_WIDTH when the rest of the row is zeros. */
  add(delta: Float64Array, now: number, width = COUNT_WIDTH): void {
    this.firstAt ??= now;
    this.roll(now);
    if (width > this.width) this.width = width;
    addRow(this.current, 0, delta, width);
  }

  rates(now: number): TRecentRates {
    this.roll(now);
    const { total } = RecentWindow;
    const { current, previous, width } = this;
    // Rates are asked for every breaker whose counters moved, four times a second: only as far as its rows reach.
    if (this.hasPrevious) for (let i = 0; i < width; i++) total[i] = current[i]! + previous[i]!;
    else for (let i = 0; i < width; i++) total[i] = current[i]!;
    let start = this.hasPrevious ? this.currentStart - this.bucketMs : this.currentStart;
    // The first report carries up to one report interval (about a second) of calls made before it.
    if (this.firstAt !== null) start = Math.max(start, this.firstAt - 1_000);
    const seconds = Math.max(1, (now - start) / 1000);
    const executed = total[OUTCOME.success]! + total[OUTCOME.failure]! + total[OUTCOME.timeout]!;
    this.histogramQuantiles(width);
    return {
      callsPerSecond: round((executed + total[OUTCOME.rejected]!) / seconds),
      failureRate: executed > 0 ? round(((total[OUTCOME.failure]! + total[OUTCOME.timeout]!) / executed) * 100) : null,
      slowCallRate: executed > 0 ? round((total[OUTCOME.slow]! / executed) * 100) : null,
      rejectedPerSecond: round(total[OUTCOME.rejected]! / seconds),
      p50Ms: roundOrNull(this.quantiles[0]!),
      p90Ms: roundOrNull(this.quantiles[1]!),
      p99Ms: roundOrNull(this.quantiles[2]!),
    };
  }

  /**
   * The three quantiles of the merged histogram in one pass, the same
   * estimates latencyQuantile gives (lib/protocol/latency-buckets.ts), which
   * would take three passes over a fresh array.
   */
  private histogramQuantiles(width: number): void {
    const total = RecentWindow.total;
    let count = 0;
    for (let i = HISTOGRAM_OFFSET; i < width; i++) count += total[i]!;
    if (count === 0) {
      this.quantiles.fill(null);
      return;
    }
    let q = 0;
    let rank = Math.max(1, Math.ceil(QUANTILES[0] * count));
    let seen = 0;
    for (let i = HISTOGRAM_OFFSET; i < width && q < QUANTILES.length; i++) {
      seen += total[i]!;
      while (q < QUANTILES.length && seen >= rank) {
        this.quantiles[q] = latencyBucketMidpoint(i - HISTOGRAM_OFFSET);
        q += 1;
        if (q < QUANTILES.length) rank = Math.max(1, Math.ceil(QUANTILES[q]! * count));
      }
    }
    for (; q < QUANTILES.length; q++) this.quantiles[q] = latencyBucketMidpoint(COUNT_WIDTH - HISTOGRAM_OFFSET - 1);
  }

  private roll(now: number): void {
    const start = now - (now % this.bucketMs);
    if (start <= this.currentStart) return;
    // The bucket that ends becomes the previous one if it is adjacent; its row is reused for the new current.
    const adjacent = start - this.currentStart === this.bucketMs;
    const reused = this.previous;
    this.previous = this.current;
    this.hasPrevious = adjacent;
    this.current = reused.fill(0);
    this.currentStart = start;
  }
}
