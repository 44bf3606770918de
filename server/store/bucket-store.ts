import type { Queryable } from './queryable';
import { OUTCOME_KINDS } from '../aggregate/outcome-kinds';

/** Counts to add to one bucket: the six outcome kinds and the latency histogram. */
export interface BucketDelta {
  breakerId: string;
  /** Set for per-instance buckets only. */
  instanceId?: string;
  bucketStart: Date;
  counts: Float64Array;
  histogram: Float64Array;
}

// Adds histograms element-wise, the shorter padded with zeros.
const ADD_HISTOGRAMS = (table: string) =>
  `ARRAY(SELECT COALESCE(a, 0) + COALESCE(b, 0) FROM unnest(${table}.latency_histogram, EXCLUDED.latency_histogram) AS h(a, b))`;
const ADD_COUNTS = (table: string) => OUTCOME_KINDS.map((kind) => `${kind} = ${table}.${kind} + EXCLUDED.${kind}`).join(', ');

/** Trims trailing zero buckets and renders a bigint[] literal: compact and exact. */
function histogramLiteral(histogram: Float64Array): string {
  let end = histogram.length;
  while (end > 0 && histogram[end - 1] === 0) end -= 1;
  return `{${Array.from(histogram.subarray(0, end)).join(',')}}`;
}

/**
 * Writes counter deltas into time buckets with one multi-row statement per
 * table: an existing bucket gets the delta added, so flushing partial buckets
 * repeatedly (or from several servers) keeps every sum exact.
 */
export interface BucketStore {
  addToBreakerBuckets(resolutionSecs: number, deltas: BucketDelta[]): Promise<void>;
  addToInstanceBuckets(deltas: BucketDelta[]): Promise<void>;
}

export function createBucketStore(pool: Queryable): BucketStore {
  const countColumns = (deltas: BucketDelta[]) => OUTCOME_KINDS.map((_, index) => deltas.map((delta) => delta.counts[index] ?? 0));
  return {
    async addToBreakerBuckets(resolutionSecs, deltas) {
      if (deltas.length === 0) return;
      await pool.query(
        `INSERT INTO breaker_buckets (breaker_id, resolution_secs, bucket_start, ${OUTCOME_KINDS.join(', ')}, latency_histogram)
         SELECT breaker_id, $1, bucket_start, ${OUTCOME_KINDS.join(', ')}, histogram::bigint[]
         FROM unnest($2::uuid[], $3::timestamptz[], ${OUTCOME_KINDS.map((_, i) => `$${i + 4}::bigint[]`).join(', ')}, $10::text[])
              AS d(breaker_id, bucket_start, ${OUTCOME_KINDS.join(', ')}, histogram)
         ON CONFLICT (breaker_id, resolution_secs, bucket_start) DO UPDATE SET ${ADD_COUNTS('breaker_buckets')},
           latency_histogram = ${ADD_HISTOGRAMS('breaker_buckets')}`,
        [resolutionSecs, deltas.map((delta) => delta.breakerId), deltas.map((delta) => delta.bucketStart), ...countColumns(deltas), deltas.map((delta) => histogramLiteral(delta.histogram))],
      );
    },

    async addToInstanceBuckets(deltas) {
      if (deltas.length === 0) return;
      await pool.query(
        `INSERT INTO instance_buckets (instance_id, breaker_id, bucket_start, ${OUTCOME_KINDS.join(', ')}, latency_histogram)
         SELECT instance_id, breaker_id, bucket_start, ${OUTCOME_KINDS.join(', ')}, histogram::bigint[]
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], ${OUTCOME_KINDS.map((_, i) => `$${i + 4}::bigint[]`).join(', ')}, $10::text[])
              AS d(instance_id, breaker_id, bucket_start, ${OUTCOME_KINDS.join(', ')}, histogram)
         ON CONFLICT (instance_id, breaker_id, bucket_start) DO UPDATE SET ${ADD_COUNTS('instance_buckets')},
           latency_histogram = ${ADD_HISTOGRAMS('instance_buckets')}`,
        [deltas.map((delta) => delta.instanceId), deltas.map((delta) => delta.breakerId), deltas.map((delta) => delta.bucketStart), ...countColumns(deltas), deltas.map((delta) => histogramLiteral(delta.histogram))],
      );
    },
  };
}
