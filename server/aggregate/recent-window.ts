import { latencyQuantile } from '../../lib/protocol/latency-buckets.js';
import type { TRecentRates } from '../../lib/api/breaker-summary.js';
import { addCounts, emptyCounts, type Counts } from './counter-deltas';
import { OUTCOME } from './outcome-kinds';

/**
 * A breaker's counts over the current and the previous time bucket, so that
 * rates cover 10 to 20 seconds of traffic whatever the moment of asking.
 */
export class RecentWindow {
  private current: Counts = emptyCounts();
  private previous: Counts | null = null;
  private currentStart: number;
  /** When counts first arrived: a breaker that began reporting a second ago has a second of traffic, not ten. */
  private firstAt: number | null = null;

  constructor(
    private readonly bucketMs: number,
    now: number,
  ) {
    this.currentStart = now - (now % bucketMs);
  }

  add(delta: Counts, now: number): void {
    this.firstAt ??= now;
    this.roll(now);
    addCounts(this.current, delta);
  }

  rates(now: number): TRecentRates {
    this.roll(now);
    const total = emptyCounts();
    addCounts(total, this.current);
    if (this.previous) addCounts(total, this.previous);
    let start = this.previous ? this.currentStart - this.bucketMs : this.currentStart;
    // The first report carries up to one report interval (about a second) of calls made before it.
    if (this.firstAt !== null) start = Math.max(start, this.firstAt - 1_000);
    const seconds = Math.max(1, (now - start) / 1000);
    const c = total.counts;
    const executed = c[OUTCOME.success]! + c[OUTCOME.failure]! + c[OUTCOME.timeout]!;
    const histogram = Array.from(total.histogram);
    return {
      callsPerSecond: (executed + c[OUTCOME.rejected]!) / seconds,
      failureRate: executed > 0 ? ((c[OUTCOME.failure]! + c[OUTCOME.timeout]!) / executed) * 100 : null,
      slowCallRate: executed > 0 ? (c[OUTCOME.slow]! / executed) * 100 : null,
      rejectedPerSecond: c[OUTCOME.rejected]! / seconds,
      p50Ms: latencyQuantile(histogram, 0.5),
      p90Ms: latencyQuantile(histogram, 0.9),
      p99Ms: latencyQuantile(histogram, 0.99),
    };
  }

  private roll(now: number): void {
    const start = now - (now % this.bucketMs);
    if (start <= this.currentStart) return;
    this.previous = start - this.currentStart === this.bucketMs ? this.current : null;
    this.current = emptyCounts();
    this.currentStart = start;
  }
}
