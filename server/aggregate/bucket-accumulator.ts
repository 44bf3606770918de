import { COUNT_WIDTH } from './counter-deltas';

// 32 bits hold what one 10 s bucket of one breaker can count (4.29 billion calls), in half the memory of 64; sums saturate.
const BUCKET_COUNT_MAX = 0xffff_ffff;

/** The width to lay rows out at for deltas up to `width` numbers into the row: a multiple of 8, so a fleet's widths fall into a few sizes. */
export const rowWidthFor = (width: number): number => Math.min(COUNT_WIDTH, Math.max(8, Math.ceil(width / 8) * 8));

/**
 * The deltas owed to one time bucket: a row per slot (a breaker or a pair) in one Uint32Array, so neither a report nor a
 * flush builds an object per row; rows are as wide as the widest delta so far (most services use a third of the histogram).
 */
export class BucketAccumulator {
  readonly slots: number[] = [];
  /** Where the bucket is on its way to the database (pending-writes.ts). */
  status: 'owed' | 'writing' | 'written' = 'owed';
  // The row of each slot plus one; 0 for a slot without a row.
  private rowOf = new Int32Array(64);
  private rows: Uint32Array;

  constructor(
    public bucketStart: number,
    /** Numbers per row: the counts and as much of the histogram as any delta added so far reached. */
    public stride: number,
    expectedRows: number,
  ) {
    this.rows = new Uint32Array(Math.max(16, expectedRows) * stride);
  }

  /**
   * Adds a row of deltas to a slot's row, saturating rather than wrapping; `width` may stop short of COUNT_WIDTH when the
   * rest is zeros, and `changed` may list the only numbers that are not (nonZeroIndices).
   */
  add(slot: number, delta: Float64Array, width: number, changed?: Int32Array, changedCount = width): void {
    if (width > this.stride) this.widen(rowWidthFor(width));
    let offset = this.offsetOf(slot);
    if (offset < 0) offset = this.newRow(slot);
    const rows = this.rows;
    for (let k = 0; k < changedCount; k++) {
      const i = changed ? changed[k]! : k;
      const sum = rows[offset + i]! + delta[i]!;
      rows[offset + i] = sum > BUCKET_COUNT_MAX ? BUCKET_COUNT_MAX : sum;
    }
  }

  /** Where a slot's row starts in `row()`'s array, -1 when the slot has none. */
  offsetOf(slot: number): number {
    return slot < this.rowOf.length && this.rowOf[slot] !== 0 ? (this.rowOf[slot]! - 1) * this.stride : -1;
  }

  /** Row `index` (in `slots` order), or a slot's row found with offsetOf. */
  row(index: number): Uint32Array {
    return this.rows.subarray(index * this.stride, (index + 1) * this.stride);
  }

  at(index: number, i: number): number {
    return this.rows[index * this.stride + i]!;
  }

  /** Adds a slot's row into `into` (COUNT_WIDTH layout); returns how far the row reaches, 0 when the slot has none. */
  addInto(slot: number, into: Float64Array): number {
    const offset = this.offsetOf(slot);
    if (offset < 0) return 0;
    for (let i = 0; i < this.stride; i++) into[i]! += this.rows[offset + i]!;
    return this.stride;
  }

  /** Empties this accumulator for another bucket, keeping its arrays: a fleet's bucket is tens of megabytes, and one let go lingers until a full collection. */
  reuseFor(bucketStart: number): this {
    for (const slot of this.slots) this.rowOf[slot] = 0;
    this.rows.fill(0, 0, this.slots.length * this.stride);
    [this.slots.length, this.bucketStart, this.status] = [0, bucketStart, 'owed'];
    return this;
  }

  /** Adds everything another accumulator of the same bucket holds. */
  merge(other: BucketAccumulator): void {
    // Through a Float64Array, as every report's delta: add() then only ever sees one array type, and stays fast.
    const row = new Float64Array(other.stride);
    for (let index = 0; index < other.slots.length; index++) {
      row.set(other.row(index));
      this.add(other.slots[index]!, row, other.stride);
    }
  }

  private newRow(slot: number): number {
    if (slot >= this.rowOf.length) {
      const rowOf = new Int32Array(Math.max(slot + 1, this.rowOf.length * 2));
      rowOf.set(this.rowOf);
      this.rowOf = rowOf;
    }
    const index = this.slots.push(slot) - 1;
    if ((index + 1) * this.stride > this.rows.length) {
      const rows = new Uint32Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
    }
    this.rowOf[slot] = index + 1;
    return index * this.stride;
  }

  /** Lays every row out again at a wider stride (rare: when a wider histogram than any before is reported). */
  private widen(stride: number): void {
    const wider = new Uint32Array((this.rows.length / this.stride) * stride);
    for (let index = 0; index < this.slots.length; index++) wider.set(this.row(index), index * stride);
    this.rows = wider;
    this.stride = stride;
  }
}
