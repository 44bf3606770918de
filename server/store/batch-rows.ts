import type { BucketAccumulator } from '../aggregate/bucket-accumulator';
import { HISTOGRAM_OFFSET } from '../aggregate/counter-deltas';
import type { BucketRows } from './bucket-store';

/** The rows of a flush's buckets (server/aggregate/pending-writes.ts) one after the other, read by row number as the bucket store writes them. */
export class BatchRows implements BucketRows {
  readonly length: number;
  // Where each bucket's rows start, then where the last one's end.
  private readonly starts = [0];

  constructor(
    readonly buckets: readonly BucketAccumulator[],
    private readonly breakerIds: readonly string[],
    /** Per-instance rows: the instance of each slot; null for service-wide rows. */
    private readonly instanceIds: readonly string[] | null,
  ) {
    for (const bucket of buckets) this.starts.push(this.starts.at(-1)! + bucket.slots.length);
    this.length = this.starts.at(-1)!;
  }

  breakerId(row: number): string {
    return this.breakerIds[this.slotOf(row)]!;
  }

  instanceId(row: number): string {
    return this.instanceIds![this.slotOf(row)]!;
  }

  bucketStart(row: number): number {
    return this.buckets[this.bucketOf(row)]!.bucketStart;
  }

  count(row: number, kind: number): number {
    const b = this.bucketOf(row);
    return this.buckets[b]!.at(row - this.starts[b]!, kind);
  }

  histogram(row: number): Uint32Array {
    const b = this.bucketOf(row);
    return this.buckets[b]!.row(row - this.starts[b]!).subarray(HISTOGRAM_OFFSET);
  }

  private slotOf(row: number): number {
    const b = this.bucketOf(row);
    return this.buckets[b]!.slots[row - this.starts[b]!]!;
  }

  private bucketOf(row: number): number {
    let b = 0;
    while (row >= this.starts[b + 1]!) b++;
    return b;
  }
}
