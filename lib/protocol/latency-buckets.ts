/**
 * Fixed latency bucket bounds shared by every reporter and the server.
 *
 * Bounds are log-spaced at four per doubling: bound i is 2^(i/4) ms, from
 * 1 ms (i = 0) to 65,536 ms (i = 64). Neighbouring bounds differ by a factor
 * of 2^(1/4) ≈ 1.189, so estimating a percentile by the geometric middle of
 * its bucket is off by at most 2^(1/8) − 1 ≈ 9.05 %, anywhere from 1 ms to
 * 60 s. Fixed bounds (never pre-computed percentiles) let the server merge the
 * histograms of many instances exactly, by adding counts.
 *
 * Bucket i counts latencies v with bounds[i-1] < v <= bounds[i]; bucket 0
 * counts v <= 1 ms, and the last bucket (index LATENCY_BUCKET_BOUNDS_MS.length)
 * counts everything above 65,536 ms.
 */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Object.freeze(Array.from({ length: 65 }, (_, i) => 2 ** (i / 4)));

/** How many counts a latency histogram has: one per bound plus the overflow bucket. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

const BUCKETS_PER_DOUBLING = 4;
const LAST_BOUND_INDEX = LATENCY_BUCKET_BOUNDS_MS.length - 1;

/**
 * The bucket a latency falls into. Log math gives the index in O(1) without a
 * search; the two comparisons after it correct floating-point error at the
 * exact bounds, so a value equal to a bound always lands in that bound's bucket.
 */
export function latencyBucketIndex(latencyMs: number): number {
  if (!(latencyMs > 1)) return 0; // also catches NaN and negatives from clock skew
  let index = Math.ceil(Math.log2(latencyMs) * BUCKETS_PER_DOUBLING);
  if (index > LAST_BOUND_INDEX) return LAST_BOUND_INDEX + 1;
  // Correct the float result against the real bounds (at most one step either way).
  if (latencyMs > (LATENCY_BUCKET_BOUNDS_MS[index] as number)) index += 1;
  else if (index > 0 && latencyMs <= (LATENCY_BUCKET_BOUNDS_MS[index - 1] as number)) index -= 1;
  return index;
}

/**
 * A representative latency for bucket i: the geometric middle of its bounds,
 * the estimate that keeps percentile error within 9.05 %. The first bucket
 * reports its upper bound (1 ms) and the overflow bucket its lower bound.
 */
export function latencyBucketMidpoint(index: number): number {
  return MIDPOINTS_MS[Math.max(0, Math.min(index, LATENCY_BUCKET_COUNT - 1))] as number;
}

// Worked out once: dashboards read three quantiles of every breaker several times a second.
const MIDPOINTS_MS: readonly number[] = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, index) =>
  index === 0 ? 1 : index > LAST_BOUND_INDEX ? (LATENCY_BUCKET_BOUNDS_MS[LAST_BOUND_INDEX] as number) : 2 ** ((index - 0.5) / BUCKETS_PER_DOUBLING),
);

/**
 * The q-quantile (0..1) of a histogram, estimated by the geometric middle of
 * the bucket holding it; null for an empty histogram. Counts may be shorter
 * than LATENCY_BUCKET_COUNT (trailing zeros trimmed).
 */
export function latencyQuantile(counts: readonly number[], q: number): number | null {
  let total = 0;
  for (const count of counts) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] as number;
    if (seen >= rank) return latencyBucketMidpoint(i);
  }
  return latencyBucketMidpoint(counts.length - 1);
}
