import { addCounts, emptyCounts, type Counts } from './counter-deltas';

export interface PendingBucket extends Counts {
  breakerId: string;
  instanceId?: string;
  bucketStart: Date;
}

export interface PendingState {
  breakerId: string;
  instanceId: string;
}

export interface PendingBatch {
  breakerBuckets: PendingBucket[];
  instanceBuckets: PendingBucket[];
  seen: Array<{ id: string; lastSeenAt: Date; droppedTransitions: number }>;
  states: PendingState[];
}

/**
 * What the aggregate owes the database since the last flush: counter deltas
 * per bucket (per breaker and per instance), instance liveness and changed
 * states. A failed flush is given back, so nothing is lost while the database
 * is away; the size stays bounded by breakers × buckets.
 */
export class PendingWrites {
  private breakerBuckets = new Map<string, PendingBucket>();
  private instanceBuckets = new Map<string, PendingBucket>();
  private seen = new Map<string, { lastSeenAt: Date; droppedTransitions: number }>();
  private states = new Map<string, PendingState>();

  constructor(private readonly bucketMs: number) {}

  addCounts(breakerId: string, instanceId: string, at: number, delta: Counts): void {
    const start = at - (at % this.bucketMs);
    this.bucket(this.breakerBuckets, `${breakerId}|${start}`, breakerId, undefined, start, delta);
    this.bucket(this.instanceBuckets, `${instanceId}|${breakerId}|${start}`, breakerId, instanceId, start, delta);
  }

  markSeen(instanceId: string, at: number, droppedTransitions: number): void {
    this.seen.set(instanceId, { lastSeenAt: new Date(at), droppedTransitions });
  }

  markState(pair: PendingState): void {
    this.states.set(`${pair.instanceId}|${pair.breakerId}`, { breakerId: pair.breakerId, instanceId: pair.instanceId });
  }

  take(): PendingBatch {
    const batch: PendingBatch = {
      breakerBuckets: [...this.breakerBuckets.values()],
      instanceBuckets: [...this.instanceBuckets.values()],
      seen: [...this.seen].map(([id, value]) => ({ id, ...value })),
      states: [...this.states.values()],
    };
    this.breakerBuckets = new Map();
    this.instanceBuckets = new Map();
    this.seen = new Map();
    this.states = new Map();
    return batch;
  }

  /** Puts a batch that could not be written back, merged with whatever arrived since. */
  giveBack(batch: PendingBatch): void {
    for (const item of batch.breakerBuckets) this.bucket(this.breakerBuckets, `${item.breakerId}|${item.bucketStart.getTime()}`, item.breakerId, undefined, item.bucketStart.getTime(), item);
    for (const item of batch.instanceBuckets) this.bucket(this.instanceBuckets, `${item.instanceId}|${item.breakerId}|${item.bucketStart.getTime()}`, item.breakerId, item.instanceId, item.bucketStart.getTime(), item);
    for (const item of batch.seen) if (!this.seen.has(item.id)) this.seen.set(item.id, item);
    for (const item of batch.states) this.markState(item);
  }

  get size(): number {
    return this.breakerBuckets.size + this.instanceBuckets.size;
  }

  private bucket(map: Map<string, PendingBucket>, key: string, breakerId: string, instanceId: string | undefined, start: number, delta: Counts): void {
    let entry = map.get(key);
    if (!entry) {
      entry = { breakerId, instanceId, bucketStart: new Date(start), ...emptyCounts() };
      map.set(key, entry);
    }
    addCounts(entry, delta);
  }
}
