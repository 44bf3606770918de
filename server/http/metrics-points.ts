import type { TMetricsPoint } from '../../lib/api/metrics-series.js';
import { latencyQuantile } from '../../lib/protocol/latency-buckets.js';
import type { OwedBucket } from '../aggregate/pending-writes';
import { OUTCOME_KINDS } from '../aggregate/outcome-kinds';
import type { MetricsBucket } from '../store/read-queries';

/** Adds `extra` into the step bucket with the same start (counts and histograms summed), or adds it as a step of its own. */
function addInto(steps: Map<number, MetricsBucket>, extra: { start: number; counts: ArrayLike<number>; histogram: ArrayLike<number> }): void {
  let step = steps.get(extra.start);
  if (!step) steps.set(extra.start, (step = { start: extra.start, counts: new Array<number>(OUTCOME_KINDS.length).fill(0), histogram: [] }));
  for (let i = 0; i < OUTCOME_KINDS.length; i++) step.counts[i]! += extra.counts[i] ?? 0;
  for (let i = 0; i < extra.histogram.length; i++) step.histogram[i] = (step.histogram[i] ?? 0) + extra.histogram[i]!;
}

/**
 * A breaker's series: the steps read from the database (a step split
 * between two resolutions comes twice and is summed), plus the buckets the
 * aggregate has not written yet (the open one, one being flushed) inside
 * [from, to), each added to the step that holds it. Percentiles come from
 * the summed histograms.
 */
export function metricsPoints(stored: readonly MetricsBucket[], owed: readonly OwedBucket[], { stepSecs, from, to }: { stepSecs: number; from: number; to: number }): TMetricsPoint[] {
  const steps = new Map<number, MetricsBucket>();
  for (const bucket of stored) addInto(steps, bucket);
  const stepMs = stepSecs * 1000;
  for (const bucket of owed) {
    if (bucket.bucketStart < from || bucket.bucketStart >= to) continue;
    addInto(steps, { start: bucket.bucketStart - (bucket.bucketStart % stepMs), counts: bucket.counts, histogram: bucket.histogram });
  }
  return [...steps.values()]
    .sort((a, b) => a.start - b.start)
    .map(({ start, counts, histogram }) => ({
      start,
      ...(Object.fromEntries(OUTCOME_KINDS.map((kind, i) => [kind, counts[i]!])) as Record<(typeof OUTCOME_KINDS)[number], number>),
      p50Ms: latencyQuantile(histogram, 0.5),
      p90Ms: latencyQuantile(histogram, 0.9),
      p99Ms: latencyQuantile(histogram, 0.99),
    }));
}
