import { latencyBucketMidpoint } from '../../lib/protocol/latency-buckets.js';
import type { TRecentRates } from '../../lib/api/breaker-summary.js';
import { COUNT_WIDTH, countRow, HISTOGRAM_OFFSET } from './counter-deltas';
import type { PendingWrites } from './pending-writes';
import { OUTCOME } from './outcome-kinds';

const QUANTILES = [0.5, 0.9, 0.99] as const;
// rates() runs to completion, synchronously: one scratch row and one scratch array for every call.
const TOTAL_SCRATCH = countRow();
const QUANTILE_SCRATCH = new Array<number | null>(QUANTILES.length).fill(null);

// Three decimals are more than any screen shows; 17-digit floats made up a good part of every dashboard delta.
const round = (value: number) => Math.round(value * 1000) / 1000;
const roundOrNull = (value: number | null) => (value === null ? null : round(value));

/** A breaker's rates over the current and previous bucket (10 to 20 s), read from PendingWrites' rows: no rows of its own, nothing per report. */
export class RecentWindow {
  /** When counts first arrived: a breaker that began reporting a second ago has a second of traffic, not ten. */
  private firstAt: number | null = null;

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
    return ratesOf(this.counts(now, TOTAL_SCRATCH), now);
  }
}

/** A breaker's recent counts (COUNT_WIDTH layout, as far as `width`) since `start`: they add across servers. */
export interface WindowCounts {
  row: Float64Array;
  width: number;
  start: number;
}

/** Rates over a window's counts; allocates nothing but the rates object. */
export function ratesOf({ row, width, start }: WindowCounts, now: number): TRecentRates {
  const seconds = Math.max(1, (now - start) / 1000);
  const executed = row[OUTCOME.success]! + row[OUTCOME.failure]! + row[OUTCOME.timeout]!;
  histogramQuantiles(row, width, QUANTILE_SCRATCH);
  return {
    callsPerSecond: round((executed + row[OUTCOME.rejected]!) / seconds),
    failureRate: executed > 0 ? round(((row[OUTCOME.failure]! + row[OUTCOME.timeout]!) / executed) * 100) : null,
    slowCallRate: executed > 0 ? round((row[OUTCOME.slow]! / executed) * 100) : null,
    rejectedPerSecond: round(row[OUTCOME.rejected]! / seconds),
    p50Ms: roundOrNull(QUANTILE_SCRATCH[0]!),
    p90Ms: roundOrNull(QUANTILE_SCRATCH[1]!),
    p99Ms: roundOrNull(QUANTILE_SCRATCH[2]!),
  };
}

/** The three quantiles of a row's histogram in one pass: latencyQuantile's estimates (lib/protocol/latency-buckets.ts) without three passes over a copy. */
function histogramQuantiles(total: Float64Array, width: number, quantiles: Array<number | null>): void {
  let count = 0;
  for (let i = HISTOGRAM_OFFSET; i < width; i++) count += total[i]!;
  if (count === 0) {
    quantiles.fill(null);
    return;
  }
  let q = 0;
  let rank = Math.max(1, Math.ceil(QUANTILES[0] * count));
  let seen = 0;
  for (let i = HISTOGRAM_OFFSET; i < width && q < QUANTILES.length; i++) {
    seen += total[i]!;
    while (q < QUANTILES.length && seen >= rank) {
      quantiles[q] = latencyBucketMidpoint(i - HISTOGRAM_OFFSET);
      q += 1;
      if (q < QUANTILES.length) rank = Math.max(1, Math.ceil(QUANTILES[q]! * count));
    }
  }
  for (; q < QUANTILES.length; q++) quantiles[q] = latencyBucketMidpoint(COUNT_WIDTH - HISTOGRAM_OFFSET - 1);
}
