import type { Queryable } from './queryable';
import { OUTCOME_KINDS } from '../aggregate/outcome-kinds';

const SUMS = OUTCOME_KINDS.map((kind) => `sum(${kind}) AS ${kind}`).join(', ');
const REPLACE = OUTCOME_KINDS.map((kind) => `${kind} = EXCLUDED.${kind}`).join(', ');

/**
 * Rebuilds the coarse buckets in [from, to) from the finer ones: counters and
 * histograms are summed, and an existing coarse bucket is replaced, so
 * running it again over the same range (to pick up late data) keeps sums exact.
 */
export async function rollUp(db: Queryable, fromSecs: number, toSecs: number, from: Date, to: Date): Promise<number> {
  const result = await db.query(
    `WITH src AS (
       SELECT breaker_id, date_bin(make_interval(secs => $2), bucket_start, TIMESTAMPTZ 'epoch') AS start, latency_histogram, ${OUTCOME_KINDS.join(', ')}
       FROM breaker_buckets WHERE resolution_secs = $1 AND bucket_start >= $3 AND bucket_start < $4),
     counts AS (SELECT breaker_id, start, ${SUMS} FROM src GROUP BY breaker_id, start),
     histograms AS (
       SELECT breaker_id, start, array_agg(total ORDER BY idx) AS histogram FROM (
         SELECT src.breaker_id, src.start, h.idx, sum(h.value) AS total
         FROM src, unnest(src.latency_histogram) WITH ORDINALITY AS h(value, idx)
         GROUP BY src.breaker_id, src.start, h.idx) per_index
       GROUP BY breaker_id, start)
     INSERT INTO breaker_buckets (breaker_id, resolution_secs, bucket_start, ${OUTCOME_KINDS.join(', ')}, latency_histogram)
     SELECT c.breaker_id, $2, c.start, ${OUTCOME_KINDS.map((kind) => `c.${kind}`).join(', ')}, COALESCE(h.histogram::bigint[], ARRAY[]::bigint[])
     FROM counts c LEFT JOIN histograms h ON h.breaker_id = c.breaker_id AND h.start = c.start
     ON CONFLICT (breaker_id, resolution_secs, bucket_start) DO UPDATE SET ${REPLACE}, latency_histogram = EXCLUDED.latency_histogram`,
    [fromSecs, toSecs, from, to],
  );
  return result.rowCount ?? 0;
}

/** Deletes the buckets of one resolution older than `before`. */
export async function deleteBucketsBefore(db: Queryable, resolutionSecs: number, before: Date): Promise<number> {
  const result = await db.query('DELETE FROM breaker_buckets WHERE resolution_secs = $1 AND bucket_start < $2', [resolutionSecs, before]);
  return result.rowCount ?? 0;
}
