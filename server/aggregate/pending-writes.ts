import type { BucketRows } from '../store/bucket-store';
import { BucketAccumulator, PagePool, rowWidthFor } from './bucket-accumulator';
import { COUNT_WIDTH, HISTOGRAM_OFFSET } from './counter-deltas';

export interface PendingState {
  breakerId: string;
  instanceId: string;
}

export interface PendingBatch {
  breakerBuckets: AccumulatedRows;
  instanceBuckets: AccumulatedRows;
  seen: Array<{ id: string; lastSeenAt: Date; droppedTransitions: number }>;
  states: PendingState[];
}

/**
 * The rows of a batch's buckets, read by row number for the bucket store:
 * the accumulators of each bucket start (usually one, two when a flush spans
 * a bucket boundary) one after the other.
 */
export class AccumulatedRows implements BucketRows {
  readonly length: number;

  constructor(
    readonly accumulators: readonly BucketAccumulator[],
    private readonly breakerIds: readonly string[],
    /** Per-instance rows: the instance of each slot; null for service-wide rows. */
    private readonly instanceIds: readonly string[] | null,
  ) {
    this.length = accumulators.reduce((sum, accumulator) => sum + accumulator.slots.length, 0);
  }

  breakerId(row: number): string {
    return this.breakerIds[this.slotOf(row)]!;
  }

  instanceId(row: number): string {
    return this.instanceIds![this.slotOf(row)]!;
  }

  bucketStart(row: number): number {
    return this.accumulatorOf(row).bucketStart;
  }

  count(row: number, kind: number): number {
    const accumulator = this.accumulatorOf(row);
    const slot = this.slotOf(row);
    return accumulator.pageOf(slot)[accumulator.offsetOf(slot) + kind]!;
  }

  histogram(row: number): Uint32Array {
    const accumulator = this.accumulatorOf(row);
    const slot = this.slotOf(row);
    const offset = accumulator.offsetOf(slot);
    return accumulator.pageOf(slot).subarray(offset + HISTOGRAM_OFFSET, offset + accumulator.stride);
  }

  private accumulatorOf(row: number): BucketAccumulator {
    for (const accumulator of this.accumulators) {
      if (row < accumulator.slots.length) return accumulator;
      row -= accumulator.slots.length;
    }
    throw new RangeError(`no bucket row ${row}`);
  }

  private slotOf(row: number): number {
    for (const accumulator of this.accumulators) {
      if (row < accumulator.slots.length) return accumulator.slots[row]!;
      row -= accumulator.slots.length;
    }
    throw new RangeError(`no bucket row ${row}`);
  }
}

/** One bucket's counts owed for a breaker (or a pair), read where they are kept: counts in OUTCOME_KINDS order, then the histogram. */
export interface OwedBucket {
  bucketStart: number;
  counts: ArrayLike<number>;
  histogram: ArrayLike<number>;
}

/** Adds a slot's row of every accumulator of `bucketStart` in a list into `into`; returns the widest row width, at least `width`. */
function addSlotOf(list: readonly BucketAccumulator[], slot: number, bucketStart: number, into: Float64Array, width: number): number {
  for (const accumulator of list) {
    if (accumulator.bucketStart !== bucketStart || !accumulator.holds(slot)) continue;
    const page = accumulator.pageOf(slot);
    const offset = accumulator.offsetOf(slot);
    const stride = accumulator.stride;
    for (let i = 0; i < stride; i++) into[i]! += page[offset + i]!;
    if (stride > width) width = stride;
  }
  return width;
}

/**
 * Buckets kept apart while the database is away (eight 10 s buckets, the
 * open ones included): past them the oldest is folded into the next oldest,
 * so an outage of any length holds a bounded number of buckets in memory.
 * Every count is kept and written when the database returns; past this,
 * only when within the outage each call happened is lost (docs/reliability.md).
 */
export const MAX_OWED_BUCKETS = 8;

/** The list with its oldest accumulators folded into the next oldest until at most MAX_OWED_BUCKETS remain. */
function foldOldest(list: BucketAccumulator[]): BucketAccumulator[] {
  if (list.length <= MAX_OWED_BUCKETS) return list;
  const sorted = [...list].sort((a, b) => a.bucketStart - b.bucketStart);
  while (sorted.length > MAX_OWED_BUCKETS) {
    const oldest = sorted.shift()!;
    sorted[0]!.merge(oldest);
    oldest.release();
  }
  return sorted;
}

/** The accumulator of a bucket start in a list, added if missing (`stride` wide); the newest is nearly always the one. */
function accumulatorFor(list: BucketAccumulator[], bucketStart: number, pool: PagePool, stride: number): BucketAccumulator {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.bucketStart === bucketStart) return list[i]!;
  const accumulator = new BucketAccumulator(bucketStart, pool, stride);
  list.push(accumulator);
  return accumulator;
}

/**
 * What the aggregate owes the database since the last flush: counter deltas
 * per bucket (per breaker and per instance), instance liveness and changed
 * states. Every breaker and every breaker × instance pair gets a slot once;
 * counts are added in place into the slot's row of the bucket's accumulator
 * (a breaker's with every report, a pair's once per bucket),
 * and take() hands the accumulators over whole, so neither a report nor a
 * flush builds a key or an object per row. A failed flush is given back, so
 * nothing is lost while the database is away; the size stays bounded by
 * slots × MAX_OWED_BUCKETS.
 */
export class PendingWrites {
  private readonly pool = new PagePool();
  private readonly breakerIds: string[] = [];
  private readonly pairBreakerIds: string[] = [];
  private readonly pairInstanceIds: string[] = [];
  private breakerBuckets: BucketAccumulator[] = [];
  private instanceBuckets: BucketAccumulator[] = [];
  // Batches taken and not yet released or given back: being written, so in neither the database nor the lists above.
  private readonly inFlight = new Set<PendingBatch>();
  // Service-wide buckets written whose bucket may still be the current or the previous one: the recent rates read them too.
  private written: BucketAccumulator[] = [];
  private newestBreakerBucket = -Infinity;
  private seen = new Map<string, { lastSeenAt: Date; droppedTransitions: number }>();
  private states = new Map<string, PendingState>();
  // New buckets' rows are as wide as the widest delta so far: accumulators then rarely need widening.
  private rowWidth = rowWidthFor(HISTOGRAM_OFFSET + 1);

  constructor(readonly bucketMs: number) {}

  /** The slot of a breaker's service-wide buckets: call once per breaker. */
  breakerSlot(breakerId: string): number {
    return this.breakerIds.push(breakerId) - 1;
  }

  /** The slot of a breaker's buckets on one instance: call once per pair. */
  pairSlot(instanceId: string, breakerId: string): number {
    this.pairInstanceIds.push(instanceId);
    return this.pairBreakerIds.push(breakerId) - 1;
  }

  /** The start of the bucket that holds `at`. */
  bucketOf(at: number): number {
    return at - (at % this.bucketMs);
  }

  /** Adds a delta row (COUNT_WIDTH layout; `width` may stop short when the rest is zeros) to a breaker's service-wide bucket. */
  addBreakerCounts(breakerSlot: number, bucketStart: number, delta: Float64Array, width = COUNT_WIDTH): void {
    if (width > this.rowWidth) this.rowWidth = rowWidthFor(width);
    if (bucketStart > this.newestBreakerBucket) this.newestBreakerBucket = bucketStart;
    accumulatorFor(this.breakerBuckets, bucketStart, this.pool, this.rowWidth).add(breakerSlot, delta, width);
  }

  /**
   * Adds a row to a pair's per-instance bucket. The aggregate adds each
   * pair's counts once per bucket, when the bucket is left (see
   * Aggregate.takePending), not with every report.
   */
  addPairCounts(pairSlot: number, bucketStart: number, counts: Float64Array, width = COUNT_WIDTH): void {
    if (width > this.rowWidth) this.rowWidth = rowWidthFor(width);
    accumulatorFor(this.instanceBuckets, bucketStart, this.pool, this.rowWidth).add(pairSlot, counts, width);
  }

  markSeen(instanceId: string, at: number, droppedTransitions: number): void {
    this.seen.set(instanceId, { lastSeenAt: new Date(at), droppedTransitions });
  }

  markState(pair: PendingState): void {
    this.states.set(`${pair.instanceId}|${pair.breakerId}`, { breakerId: pair.breakerId, instanceId: pair.instanceId });
  }

  /**
   * What is owed so far; hand the batch to release() once written, or to
   * giveBack() if it could not be. Buckets that start at or after
   * `holdBucketsFrom` (the open one) stay pending: each is written once, when
   * it has closed, as one insert instead of an update on every flush. A
   * fleet of 2,000 instances × 50 breakers owes 100,000 per-instance and
   * 10,100 service-wide rows per bucket; the live views read the open bucket
   * from here (owedBreakerBuckets). Call it through Aggregate.takePending,
   * which first adds the pairs' counts of the buckets handed over.
   */
  take(holdBucketsFrom = Infinity): PendingBatch {
    const closed = (accumulator: BucketAccumulator) => accumulator.bucketStart < holdBucketsFrom;
    const batch: PendingBatch = {
      breakerBuckets: new AccumulatedRows(this.breakerBuckets.filter(closed), this.breakerIds, null),
      instanceBuckets: new AccumulatedRows(this.instanceBuckets.filter(closed), this.pairBreakerIds, this.pairInstanceIds),
      seen: [...this.seen].map(([id, value]) => ({ id, ...value })),
      states: [...this.states.values()],
    };
    this.breakerBuckets = this.breakerBuckets.filter((accumulator) => !closed(accumulator));
    this.instanceBuckets = this.instanceBuckets.filter((accumulator) => !closed(accumulator));
    this.seen = new Map();
    this.states = new Map();
    this.inFlight.add(batch);
    return batch;
  }

  /**
   * The service-wide buckets of one breaker (its slot) not in the database
   * yet: the open bucket, a closed one not flushed yet, and those of a flush
   * in progress, oldest first.
   */
  owedBreakerBuckets(breakerSlot: number): OwedBucket[] {
    const accumulators = [...[...this.inFlight].flatMap((batch) => batch.breakerBuckets.accumulators), ...this.breakerBuckets];
    const owed: OwedBucket[] = [];
    for (const accumulator of accumulators) {
      if (!accumulator.holds(breakerSlot)) continue;
      const page = accumulator.pageOf(breakerSlot);
      const offset = accumulator.offsetOf(breakerSlot);
      owed.push({
        bucketStart: accumulator.bucketStart,
        counts: page.subarray(offset, offset + HISTOGRAM_OFFSET),
        histogram: page.subarray(offset + HISTOGRAM_OFFSET, offset + accumulator.stride),
      });
    }
    return owed.sort((a, b) => a.bucketStart - b.bucketStart);
  }

  /**
   * A written batch's rows go back to the pool, for the next flushes to
   * reuse; its service-wide rows once their bucket is older than the
   * previous one (until then breakerBucket reads them).
   */
  release(batch: PendingBatch): void {
    this.inFlight.delete(batch);
    for (const accumulator of batch.instanceBuckets.accumulators) accumulator.release();
    const keepFrom = this.newestBreakerBucket - this.bucketMs;
    const kept: BucketAccumulator[] = [];
    for (const accumulator of [...this.written, ...batch.breakerBuckets.accumulators]) {
      if (accumulator.bucketStart >= keepFrom) kept.push(accumulator);
      else accumulator.release();
    }
    this.written = kept;
  }

  /** Puts a batch that could not be written back, merged with whatever arrived since. */
  giveBack(batch: PendingBatch): void {
    for (const accumulator of batch.breakerBuckets.accumulators) accumulatorFor(this.breakerBuckets, accumulator.bucketStart, this.pool, this.rowWidth).merge(accumulator);
    for (const accumulator of batch.instanceBuckets.accumulators) accumulatorFor(this.instanceBuckets, accumulator.bucketStart, this.pool, this.rowWidth).merge(accumulator);
    this.inFlight.delete(batch);
    for (const accumulator of batch.breakerBuckets.accumulators) accumulator.release();
    for (const accumulator of batch.instanceBuckets.accumulators) accumulator.release();
    this.breakerBuckets = foldOldest(this.breakerBuckets);
    this.instanceBuckets = foldOldest(this.instanceBuckets);
    for (const item of batch.seen) if (!this.seen.has(item.id)) this.seen.set(item.id, item);
    for (const item of batch.states) this.markState(item);
  }

  /**
   * Adds into `into` (COUNT_WIDTH layout) a breaker's service-wide counts of
   * one bucket, wherever they are: open, closed and owed, being written, or
   * written but recent (the current and previous buckets). Returns how far
   * into the row they reach, 0 when there are none. For the recent rates:
   * no copy of these rows is kept per breaker.
   */
  breakerBucket(breakerSlot: number, bucketStart: number, into: Float64Array): number {
    let width = addSlotOf(this.breakerBuckets, breakerSlot, bucketStart, into, 0);
    for (const batch of this.inFlight) width = addSlotOf(batch.breakerBuckets.accumulators, breakerSlot, bucketStart, into, width);
    return addSlotOf(this.written, breakerSlot, bucketStart, into, width);
  }

  /** Bucket rows owed (per breaker and per instance). */
  get size(): number {
    let rows = 0;
    for (const accumulator of this.breakerBuckets) rows += accumulator.slots.length;
    for (const accumulator of this.instanceBuckets) rows += accumulator.slots.length;
    return rows;
  }
}
