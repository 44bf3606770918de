import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import type { TBreakerState, TTransitionCause } from '../../lib/protocol/breaker-state.js';
import { OUTCOME_KINDS } from '../aggregate/outcome-kinds';
import type { Queryable } from './queryable';

interface TransitionRow {
  id: string;
  breaker_id: string;
  service: string;
  breaker: string;
  instance: string | null;
  from_state: TBreakerState | null;
  to_state: TBreakerState;
  would_be: TBreakerState | null;
  cause: TTransitionCause;
  failure_rate: number | null;
  slow_call_rate: number | null;
  at: Date;
}

const toRecord = (row: TransitionRow): TTransitionRecord => ({
  id: row.id,
  breakerId: row.breaker_id,
  service: row.service,
  breaker: row.breaker,
  instance: row.instance,
  from: row.from_state,
  to: row.to_state,
  wouldBe: row.would_be,
  cause: row.cause,
  failureRate: row.failure_rate,
  slowCallRate: row.slow_call_rate,
  at: row.at.getTime(),
});

export interface TransitionFilter {
  service?: string;
  breakerId?: string;
  breaker?: string;
  from?: number;
  to?: number;
  limit: number;
}

/** Transitions, newest first, selecting only what the screens show. */
export async function queryTransitions(db: Queryable, filter: TransitionFilter): Promise<TTransitionRecord[]> {
  const result = await db.query<TransitionRow>(
    `SELECT t.id::text, t.breaker_id, s.name AS service, b.name AS breaker, i.name AS instance, t.from_state, t.to_state, t.would_be,
            t.cause, t.failure_rate, t.slow_call_rate, t.at
     FROM transitions t JOIN breakers b ON b.id = t.breaker_id JOIN services s ON s.id = t.service_id
     LEFT JOIN instances i ON i.id = t.instance_id
     WHERE ($1::text IS NULL OR s.name = $1) AND ($2::uuid IS NULL OR t.breaker_id = $2) AND ($3::text IS NULL OR b.name = $3)
       AND ($4::timestamptz IS NULL OR t.at >= $4) AND ($5::timestamptz IS NULL OR t.at < $5)
     ORDER BY t.at DESC, t.id DESC LIMIT $6`,
    [
      filter.service ?? null,
      filter.breakerId ?? null,
      filter.breaker ?? null,
      filter.from === undefined ? null : new Date(filter.from),
      filter.to === undefined ? null : new Date(filter.to),
      filter.limit,
    ],
  );
  return result.rows.map(toRecord);
}

/** A breaker's counts over one step: outcome counts in OUTCOME_KINDS order and the summed latency histogram. */
export interface MetricsBucket {
  start: number;
  counts: number[];
  histogram: number[];
}

/** A breaker's buckets of one resolution summed into steps of `stepSecs` (starts aligned on the epoch), histograms summed too. */
export async function queryMetricBuckets(db: Queryable, breakerId: string, resolutionSecs: number, stepSecs: number, from: Date, to: Date): Promise<MetricsBucket[]> {
  const result = await db.query<Record<(typeof OUTCOME_KINDS)[number], string> & { start: Date; histogram: string[] | null }>(
    `WITH src AS (
       SELECT date_bin(make_interval(secs => $3), bucket_start, TIMESTAMPTZ 'epoch') AS start, latency_histogram, ${OUTCOME_KINDS.join(', ')}
       FROM breaker_buckets WHERE breaker_id = $1 AND resolution_secs = $2 AND bucket_start >= $4 AND bucket_start < $5),
     counts AS (SELECT start, ${OUTCOME_KINDS.map((kind) => `sum(${kind})::text AS ${kind}`).join(', ')} FROM src GROUP BY start),
     histograms AS (
       SELECT start, array_agg(total::text ORDER BY idx) AS histogram FROM (
         SELECT src.start, h.idx, sum(h.value) AS total FROM src, unnest(src.latency_histogram) WITH ORDINALITY AS h(value, idx) GROUP BY src.start, h.idx) x
       GROUP BY start)
     SELECT c.*, h.histogram FROM counts c LEFT JOIN histograms h USING (start) ORDER BY c.start`,
    [breakerId, resolutionSecs, stepSecs, from, to],
  );
  return result.rows.map((row) => ({
    start: row.start.getTime(),
    counts: OUTCOME_KINDS.map((kind) => Number(row[kind])),
    histogram: (row.histogram ?? []).map(Number),
  }));
}

/** Calls (executed and rejected) per 10 s bucket of some breakers in [from, to), summed over instances. */
export async function queryCallCounts(db: Queryable, breakerIds: readonly string[], from: Date, to: Date): Promise<Array<{ breakerId: string; start: number; calls: number }>> {
  const result = await db.query<{ breaker_id: string; start: Date; calls: string }>(
    `SELECT breaker_id, bucket_start AS start, (success + failure + timeout + rejected)::text AS calls
     FROM breaker_buckets WHERE resolution_secs = 10 AND breaker_id = ANY($1::uuid[]) AND bucket_start >= $2 AND bucket_start < $3`,
    [breakerIds, from, to],
  );
  return result.rows.map((row) => ({ breakerId: row.breaker_id, start: row.start.getTime(), calls: Number(row.calls) }));
}
