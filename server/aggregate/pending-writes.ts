import { BatchRows } from '../store/batch-rows';
import { BucketAccumulator, rowWidthFor } from './bucket-accumulator';
import { HISTOGRAM_OFFSET } from './counter-deltas';
import type { PairState } from './live-entries';

/** A pair whose state changed, to be stored. */
export type PendingState = Pick<PairState, 'breakerId' | 'instanceId'>;

export interface PendingBatch {
  breakerBuckets: BatchRows;
  instanceBuckets: BatchRows;
  seen: Array<{ id: string; lastSeenAt: Date; droppedTransitions: number }>;
  states: PendingState[];
}

/** One bucket's counts owed for a breaker, read where they are kept: counts in OUTCOME_KINDS order, then the histogram. */
export interface OwedBucket {
  bucketStart: number;
  counts: ArrayLike<number>;
  histogram: ArrayLike<number>;
}

/** Buckets held while the database is away; past them the oldest folds into the next, so an outage of any length holds bounded memory (docs/reliability.md). */
export const MAX_OWED_BUCKETS = 8;

/** One kind of bucket (service-wide or per instance) from its first delta until written; service-wide ones stay while the recent rates read them. */
class Buckets {
  all: BucketAccumulator[] = [];
  // New buckets start as wide as the widest delta so far, with as many rows as the last bucket taken: they rarely grow.
  private rowWidth = rowWidthFor(HISTOGRAM_OFFSET + 1);
  private expectedRows = 0;
  // The last bucket written, emptied for the next one to start.
  private spare: BucketAccumulator | undefined;

  /** Adds a delta row (COUNT_WIDTH layout, as far as `width`: the rest is zeros; BucketAccumulator.add) to a slot's row of its bucket. */
  add(slot: number, bucketStart: number, delta: Float64Array, width: number, changed?: Int32Array, changedCount?: number): void {
    if (width > this.rowWidth) this.rowWidth = rowWidthFor(width);
    // The newest bucket is nearly always the one (a loop, not find(): no closure per report).
    for (let i = this.all.length - 1; i >= 0; i--) if (this.all[i]!.bucketStart === bucketStart && this.all[i]!.status === 'owed') return this.all[i]!.add(slot, delta, width, changed, changedCount);
    const bucket = this.spare && this.spare.stride >= this.rowWidth ? this.spare.reuseFor(bucketStart) : new BucketAccumulator(bucketStart, this.rowWidth, this.expectedRows);
    this.spare = undefined;
    this.all.push(bucket);
    bucket.add(slot, delta, width, changed, changedCount);
  }

  take(holdBucketsFrom: number): BucketAccumulator[] {
    const taken = this.all.filter((bucket) => bucket.status === 'owed' && bucket.bucketStart < holdBucketsFrom);
    for (const bucket of taken) bucket.status = 'writing';
    if (taken.length > 0) this.expectedRows = taken.at(-1)!.slots.length;
    return taken;
  }

  /** Written: dropped, unless a service-wide bucket the recent rates still read (from `keepFrom`). */
  release(taken: readonly BucketAccumulator[], keepFrom: number): void {
    for (const bucket of taken) bucket.status = 'written';
    this.spare = this.all.findLast((bucket) => bucket.status === 'written' && bucket.bucketStart < keepFrom) ?? this.spare;
    this.all = this.all.filter((bucket) => bucket.status !== 'written' || bucket.bucketStart >= keepFrom);
  }

  /** Owed again, merged with what arrived since, the oldest folded into the next oldest past MAX_OWED_BUCKETS. */
  giveBack(taken: readonly BucketAccumulator[]): void {
    const mergeInto = (into: BucketAccumulator, bucket: BucketAccumulator) => {
      into.merge(bucket);
      this.all = this.all.filter((other) => other !== bucket);
    };
    for (const bucket of taken) {
      const arrivedSince = this.all.find((other) => other.status === 'owed' && other.bucketStart === bucket.bucketStart);
      if (arrivedSince) mergeInto(arrivedSince, bucket);
      else bucket.status = 'owed';
    }
    const owed = this.all.filter((bucket) => bucket.status === 'owed').sort((a, b) => a.bucketStart - b.bucketStart);
    for (let i = 0; i < owed.length - MAX_OWED_BUCKETS; i++) mergeInto(owed[i + 1]!, owed[i]!);
  }

  /** Rows owed, not yet taken. */
  get size(): number {
    return this.all.reduce((rows, bucket) => rows + (bucket.status === 'owed' ? bucket.slots.length : 0), 0);
  }
}

/** What the aggregate owes the database since the last flush: counter deltas per bucket in each breaker's and pair's slot, instances seen, changed states; a failed flush is given back. */
export class PendingWrites {
  readonly breakerBuckets = new Buckets();
  readonly instanceBuckets = new Buckets();
  private readonly breakerIds: string[] = [];
  private readonly pairBreakerIds: string[] = [];
  private readonly pairInstanceIds: string[] = [];
  // Each instance's own fields, read when taken: an object and a Date per report lived until the flush and were promoted.
  private seen = new Map<string, { readonly lastSeenAt: number | null; readonly droppedTransitions: number }>();
  private states = new Map<string, PendingState>();

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

  markSeen(instance: { readonly id: string; readonly lastSeenAt: number | null; readonly droppedTransitions: number }): void {
    this.seen.set(instance.id, instance);
  }

  markState(pair: PendingState): void {
    this.states.set(`${pair.instanceId}|${pair.breakerId}`, { breakerId: pair.breakerId, instanceId: pair.instanceId });
  }

  /** What is owed, for release() once written or giveBack(); buckets from `holdBucketsFrom` (the open one) stay, to be written once, closed. */
  take(holdBucketsFrom = Infinity): PendingBatch {
    const batch: PendingBatch = {
      breakerBuckets: new BatchRows(this.breakerBuckets.take(holdBucketsFrom), this.breakerIds, null),
      instanceBuckets: new BatchRows(this.instanceBuckets.take(holdBucketsFrom), this.pairBreakerIds, this.pairInstanceIds),
      seen: [...this.seen].flatMap(([id, { lastSeenAt, droppedTransitions }]) => (lastSeenAt === null ? [] : [{ id, lastSeenAt: new Date(lastSeenAt), droppedTransitions }])),
      states: [...this.states.values()],
    };
    [this.seen, this.states] = [new Map(), new Map()];
    return batch;
  }

  /** A written batch's buckets are dropped; its service-wide ones once older than the previous bucket (the recent rates read them until then). */
  release(batch: PendingBatch): void {
    const newest = Math.max(...this.breakerBuckets.all.map((bucket) => bucket.bucketStart));
    this.breakerBuckets.release(batch.breakerBuckets.buckets, newest - this.bucketMs);
    this.instanceBuckets.release(batch.instanceBuckets.buckets, Infinity);
  }

  /** Puts a batch that could not be written back, merged with whatever arrived since. */
  giveBack(batch: PendingBatch): void {
    this.breakerBuckets.giveBack(batch.breakerBuckets.buckets);
    this.instanceBuckets.giveBack(batch.instanceBuckets.buckets);
    for (const { id, lastSeenAt, droppedTransitions } of batch.seen) if (!this.seen.has(id)) this.seen.set(id, { lastSeenAt: lastSeenAt.getTime(), droppedTransitions });
    for (const item of batch.states) this.markState(item);
  }

  /** The service-wide buckets of one breaker (its slot) not in the database yet, oldest first: open, closed, or being written. */
  owedBreakerBuckets(breakerSlot: number): OwedBucket[] {
    const owed: OwedBucket[] = [];
    for (const bucket of this.breakerBuckets.all) {
      const offset = bucket.offsetOf(breakerSlot);
      if (bucket.status === 'written' || offset < 0) continue;
      const row = bucket.row(offset / bucket.stride);
      owed.push({ bucketStart: bucket.bucketStart, counts: row.subarray(0, HISTOGRAM_OFFSET), histogram: row.subarray(HISTOGRAM_OFFSET) });
    }
    return owed.sort((a, b) => a.bucketStart - b.bucketStart);
  }

  /** Adds into `into` (COUNT_WIDTH layout) what a pair counted in the per-instance buckets not taken yet. */
  owedPairCounts(pairSlot: number, into: Float64Array): void {
    for (const bucket of this.instanceBuckets.all) if (bucket.status === 'owed') bucket.addInto(pairSlot, into);
  }

  /** Adds into `into` a breaker's counts of one bucket wherever they are (owed, writing, written but recent); returns how far they reach. */
  breakerBucket(breakerSlot: number, bucketStart: number, into: Float64Array): number {
    let width = 0;
    for (const bucket of this.breakerBuckets.all) if (bucket.bucketStart === bucketStart) width = Math.max(width, bucket.addInto(breakerSlot, into));
    return width;
  }

  get size(): number {
    return this.breakerBuckets.size + this.instanceBuckets.size;
  }
}
