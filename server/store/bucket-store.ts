import type { Queryable } from './queryable';
import { OUTCOME_KINDS } from '../aggregate/outcome-kinds';
import { nestedLiteralArray, plainArray, timestampArray } from './array-literal';

/** Counts to add to one bucket: the six outcome kinds and the latency histogram. */
export interface BucketDelta {
  breakerId: string;
  /** Set for per-instance buckets only. */
  instanceId?: string;
  bucketStart: Date;
  counts: Float64Array;
  histogram: Float64Array;
}

/**
 * Bucket deltas read row by row: how the aggregate hands over a flush (its
 * accumulators, server/aggregate/pending-writes.ts) without building an object
 * per row. `count` reads one of the six outcome counts (OUTCOME_KINDS order).
 */
export interface BucketRows {
  readonly length: number;
  breakerId(row: number): string;
  /** Per-instance rows only. */
  instanceId(row: number): string;
  bucketStart(row: number): number;
  count(row: number, kind: number): number;
  histogram(row: number): Float64Array | Uint32Array;
}

/** BucketDelta objects as rows. */
function deltaRows(deltas: readonly BucketDelta[]): BucketRows {
  return {
    length: deltas.length,
    breakerId: (row) => deltas[row]!.breakerId,
    instanceId: (row) => deltas[row]!.instanceId!,
    bucketStart: (row) => deltas[row]!.bucketStart.getTime(),
    count: (row, kind) => deltas[row]!.counts[kind] ?? 0,
    histogram: (row) => deltas[row]!.histogram,
  };
}

// Rows per statement. A fleet of 2,000 instances × 50 breakers owes 100,000
// per-instance rows per flush: one statement would build its parameters in one
// synchronous stretch of the event loop (stalling every socket for a long
// while); chunks of this size keep each stretch short and still write
// thousands of rows per round trip.
export const BUCKET_ROWS_PER_STATEMENT = 2_000;

// Adds histograms element-wise, the shorter padded with zeros.
const ADD_HISTOGRAMS = (table: string) => `ARRAY(SELECT COALESCE(a, 0) + COALESCE(b, 0) FROM unnest(${table}.latency_histogram, EXCLUDED.latency_histogram) AS h(a, b))`;
const ADD_COUNTS = (table: string) => OUTCOME_KINDS.map((kind) => `${kind} = ${table}.${kind} + EXCLUDED.${kind}`).join(', ');

/** Where a histogram's trailing zero buckets start: they are not written. */
function histogramEnd(histogram: Float64Array | Uint32Array): number {
  let end = histogram.length;
  while (end > 0 && histogram[end - 1] === 0) end -= 1;
  return end;
}

/** Trims trailing zero buckets and renders a bigint[] literal: compact and exact. */
function histogramLiteral(histogram: Float64Array | Uint32Array): string {
  return `{${histogram.subarray(0, histogramEnd(histogram)).join(',')}}`;
}

/** Values of rows [start, end) as one array. */
function column<T>(start: number, end: number, value: (row: number) => T): T[] {
  const values = new Array<T>(end - start);
  for (let row = start; row < end; row++) values[row - start] = value(row);
  return values;
}

/** The parameters every bucket statement shares: bucket starts, the six counts and the histograms of rows [start, end), as array literals. */
function bucketColumns(rows: BucketRows, start: number, end: number): string[] {
  return [
    timestampArray(column(start, end, (row) => rows.bucketStart(row))),
    ...OUTCOME_KINDS.map((_, index) => plainArray(column(start, end, (row) => rows.count(row, index)))),
    nestedLiteralArray(column(start, end, (row) => histogramLiteral(rows.histogram(row)))),
  ];
}

/** Writes rows in statements of at most BUCKET_ROWS_PER_STATEMENT rows, one after the other. */
async function inChunks(rows: BucketRows, write: (start: number, end: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += BUCKET_ROWS_PER_STATEMENT) await write(start, Math.min(rows.length, start + BUCKET_ROWS_PER_STATEMENT));
}

/** The per-instance rows by breaker and bucket start, each group one row of instance_buckets. */
function byBreakerAndBucket(rows: BucketRows): number[][] {
  const groups = new Map<string, Map<number, number[]>>();
  for (let row = 0; row < rows.length; row++) {
    const breakerId = rows.breakerId(row);
    let byStart = groups.get(breakerId);
    if (!byStart) groups.set(breakerId, (byStart = new Map()));
    const start = rows.bucketStart(row);
    const members = byStart.get(start);
    if (members) members.push(row);
    else byStart.set(start, [row]);
  }
  return [...groups.values()].flatMap((byStart) => [...byStart.values()]);
}

/** Writes groups in statements of at most about BUCKET_ROWS_PER_STATEMENT rows. */
async function inGroupChunks(groups: readonly number[][], write: (chunk: readonly number[][]) => Promise<unknown>): Promise<void> {
  let start = 0;
  while (start < groups.length) {
    let end = start;
    for (let rows = 0; end < groups.length && rows < BUCKET_ROWS_PER_STATEMENT; end++) rows += groups[end]!.length;
    await write(groups.slice(start, end));
    start = end;
  }
}

/**
 * `{{1,2,0},{3,0,0}}`: a group's histograms trimmed of trailing zeros and
 * padded to the widest, or `{}` when all are empty. Built with the typed
 * arrays' own join: copying each into a plain array (Array.from) made about
 * 20 MB of garbage a second at 100,000 pairs, a quarter of the panel's.
 */
function histogramsLiteral(rows: BucketRows, members: readonly number[]): string {
  const histograms = members.map((row) => rows.histogram(row));
  const ends = histograms.map(histogramEnd);
  const width = Math.max(0, ...ends);
  if (width === 0) return '{}';
  const padded = histograms.map((histogram, index) => {
    const end = ends[index]!;
    if (end === 0) return `{0${',0'.repeat(width - 1)}}`;
    return `{${histogram.subarray(0, end).join(',')}${',0'.repeat(width - end)}}`;
  });
  return `{${padded.join(',')}}`;
}

/** The parameters of an instance_buckets insert: per group its breaker, bucket start, instances, the six counts per instance and the histograms. */
function instanceBucketColumns(rows: BucketRows, groups: readonly number[][]): string[] {
  return [
    plainArray(groups.map((members) => rows.breakerId(members[0]!))),
    timestampArray(groups.map((members) => rows.bucketStart(members[0]!))),
    nestedLiteralArray(groups.map((members) => plainArray(members.map((row) => rows.instanceId(row))))),
    ...OUTCOME_KINDS.map((_, kind) => nestedLiteralArray(groups.map((members) => plainArray(members.map((row) => rows.count(row, kind)))))),
    nestedLiteralArray(groups.map((members) => histogramsLiteral(rows, members))),
  ];
}

/** Some rows of a set, by index: how a flush writes part of a batch (server/jobs/refused-rows.ts). */
export function pickRows(rows: BucketRows, indices: readonly number[]): BucketRows {
  return {
    length: indices.length,
    breakerId: (row) => rows.breakerId(indices[row]!),
    instanceId: (row) => rows.instanceId(indices[row]!),
    bucketStart: (row) => rows.bucketStart(indices[row]!),
    count: (row, kind) => rows.count(indices[row]!, kind),
    histogram: (row) => rows.histogram(indices[row]!),
  };
}

const asRows = (deltas: BucketRows | readonly BucketDelta[]): BucketRows => (Array.isArray(deltas) ? deltaRows(deltas as readonly BucketDelta[]) : (deltas as BucketRows));

/**
 * The rows by breaker and bucket. Several servers add to the same buckets:
 * taking the rows' locks in one order everywhere keeps two flushes from
 * deadlocking (each waiting for a row the other inserted first).
 */
function inKeyOrder(rows: BucketRows): BucketRows {
  const order = Array.from({ length: rows.length }, (_, index) => index);
  order.sort((a, b) => {
    const x = rows.breakerId(a);
    const y = rows.breakerId(b);
    return x < y ? -1 : x > y ? 1 : rows.bucketStart(a) - rows.bucketStart(b);
  });
  return pickRows(rows, order);
}

/**
 * Writes counter deltas into time buckets with multi-row statements (one per
 * table, or a few for very large flushes). A service-wide bucket that exists
 * gets the delta added; per-instance buckets go in one new row per breaker and
 * bucket (instances in arrays), which readers sum per instance. Either way
 * flushing partial buckets repeatedly (or from several servers) keeps every
 * sum exact.
 */
export interface BucketStore {
  addToBreakerBuckets(resolutionSecs: number, deltas: BucketRows | readonly BucketDelta[]): Promise<void>;
  addToInstanceBuckets(deltas: BucketRows | readonly BucketDelta[]): Promise<void>;
}

export function createBucketStore(pool: Queryable): BucketStore {
  return {
    async addToBreakerBuckets(resolutionSecs, deltas) {
      const rows = inKeyOrder(asRows(deltas));
      await inChunks(rows, (start, end) =>
        pool.query(
          `INSERT INTO breaker_buckets (breaker_id, resolution_secs, bucket_start, ${OUTCOME_KINDS.join(', ')}, latency_histogram)
           SELECT breaker_id, $1, bucket_start, ${OUTCOME_KINDS.join(', ')}, histogram::bigint[]
           FROM unnest($2::uuid[], $3::timestamptz[], ${OUTCOME_KINDS.map((_, i) => `$${i + 4}::bigint[]`).join(', ')}, $10::text[])
                AS d(breaker_id, bucket_start, ${OUTCOME_KINDS.join(', ')}, histogram)
           ON CONFLICT (breaker_id, resolution_secs, bucket_start) DO UPDATE SET ${ADD_COUNTS('breaker_buckets')},
             latency_histogram = ${ADD_HISTOGRAMS('breaker_buckets')}`,
          [resolutionSecs, plainArray(column(start, end, (row) => rows.breakerId(row))), ...bucketColumns(rows, start, end)],
        ),
      );
    },

    async addToInstanceBuckets(deltas) {
      const rows = asRows(deltas);
      await inGroupChunks(byBreakerAndBucket(rows), (chunk) =>
        pool.query(
          `INSERT INTO instance_buckets (breaker_id, bucket_start, instance_ids, ${OUTCOME_KINDS.join(', ')}, latency_histograms)
           SELECT breaker_id, bucket_start, instance_ids::uuid[], ${OUTCOME_KINDS.map((kind) => `${kind}::bigint[]`).join(', ')}, histograms::bigint[]
           FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], ${OUTCOME_KINDS.map((_, i) => `$${i + 4}::text[]`).join(', ')}, $10::text[])
                AS d(breaker_id, bucket_start, instance_ids, ${OUTCOME_KINDS.join(', ')}, histograms)`,
          instanceBucketColumns(rows, chunk),
        ),
      );
    },
  };
}
