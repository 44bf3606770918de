import { latencyQuantile } from '../../lib/protocol/latency-buckets.js';
import type { TRecentRates } from '../../lib/api/breaker-summary.js';
import { countRow, HISTOGRAM_OFFSET } from './counter-deltas';
import type { PendingWrites } from './pending-writes';
import { OUTCOME } from './outcome-kinds';

// Three decimals are more than any screen shows; 17-digit floats made up a good part of every dashboard delta.
const round = (value: number) => Math.round(value * 1000) / 1000;
const roundOrNull = (value: number | null) => (value === null ? null : round(value));

/** A breaker's rates over the current and previous bucket (10 to 20 s), read from PendingWrites' rows: no rows of its own, nothing per report. */
export class RecentWindow {
  /** When counts first arrived: a breaker that began reporting a second ago has a second of traffic, not ten. */
  private firstAt: number | null = null;
  // One scratch row for every window: rates() runs synchronously.
  private static readonly total = countRow();

  constructor(
    private readonly pending: PendingWrites,
    private readonly slot: number,
  ) {}

  /** Counts arrived for the breaker (they are in its pending bucket row). */
  counted(now: number): void {
    this.firstAt ??= now;
  }

  /** The counts of the current and the previous bucket, summed into `into` (a fresh row unless given), and when they began. */
  counts(now: number, into = countRow()): WindowCounts {
    const { pending, slot, firstAt } = this;
    const currentStart = pending.bucketOf(now);
    into.fill(0);
    let width = pending.breakerBucket(slot, currentStart, into);
    // The previous bucket counts once the breaker has reported for longer than the current one.
    const hasPrevious = firstAt !== null && firstAt < currentStart;
    if (hasPrevious) width = Math.max(width, pending.breakerBucket(slot, currentStart - pending.bucketMs, into));
    let start = hasPrevious ? currentStart - pending.bucketMs : currentStart;
    // The first report carries up to one report interval (about a second) of calls made before it.
    if (firstAt !== null) start = Math.max(start, firstAt - 1_000);
    return { row: into, width, start };
  }

  rates(now: number): TRecentRates {
    return ratesOf(this.counts(now, RecentWindow.total), now);
  }
}

/** A breaker's recent counts (COUNT_WIDTH layout, as far as `width`) since `start`: they add across servers. */
export interface WindowCounts {
  row: Float64Array;
  width: number;
  start: number;
}

/** Rates over a window's counts. */
export function ratesOf({ row, width, start }: WindowCounts, now: number): TRecentRates {
  const seconds = Math.max(1, (now - start) / 1000);
  const executed = row[OUTCOME.success]! + row[OUTCOME.failure]! + row[OUTCOME.timeout]!;
  const histogram = row.subarray(HISTOGRAM_OFFSET, width);
  return {
    callsPerSecond: round((executed + row[OUTCOME.rejected]!) / seconds),
    failureRate: executed > 0 ? round(((row[OUTCOME.failure]! + row[OUTCOME.timeout]!) / executed) * 100) : null,
    slowCallRate: executed > 0 ? round((row[OUTCOME.slow]! / executed) * 100) : null,
    rejectedPerSecond: round(row[OUTCOME.rejected]! / seconds),
    p50Ms: roundOrNull(latencyQuantile(histogram, 0.5)),
    p90Ms: roundOrNull(latencyQuantile(histogram, 0.9)),
    p99Ms: roundOrNull(latencyQuantile(histogram, 0.99)),
  };
}
