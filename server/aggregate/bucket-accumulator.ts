import { COUNT_WIDTH, type CounterRow } from './counter-deltas';

/** Rows per page: a page is 256 rows of at most 72 numbers, so a fleet's rows take a few hundred pages. */
export const ROWS_PER_PAGE = 256;

/**
 * A page of bucket rows. 32 bits are enough for what one 10 s bucket of one
 * breaker can count (4.29 billion calls, 429 million a second) and take half
 * the memory of 64: at 100,000 breaker × instance pairs each pending bucket
 * is 29 MB instead of 58.
 */
export type CountPage = Uint32Array;
const BUCKET_COUNT_MAX = 0xffff_ffff;

/** Adds a row of deltas into a page's row, saturating rather than wrapping should a count ever pass 32 bits. */
function addToCountRow(page: CountPage, offset: number, delta: Float64Array, width: number): void {
  for (let i = 0; i < width; i++) {
    const sum = page[offset + i]! + delta[i]!;
    page[offset + i] = sum > BUCKET_COUNT_MAX ? BUCKET_COUNT_MAX : sum;
  }
}

/**
 * The width to lay rows out at for histograms up to `width` numbers into the
 * row: a multiple of 8, so that a fleet's widths fall into a few sizes.
 */
export const rowWidthFor = (width: number): number => Math.min(COUNT_WIDTH, Math.max(8, Math.ceil(width / 8) * 8));

/**
 * Free pages, zeroed, shared by the accumulators of one owner: after the
 * first flushes, accumulating allocates nothing. Pages are kept for the
 * newest row width only.
 */
export class PagePool {
  private free: CountPage[] = [];

  take(stride: number): CountPage {
    const size = ROWS_PER_PAGE * stride;
    this.keepOnly(size);
    return this.free.pop() ?? new Uint32Array(size);
  }

  give(page: CountPage): void {
    this.keepOnly(page.length);
    this.free.push(page.fill(0));
  }

  /** Drops the free pages of another size (an older, narrower row width). */
  private keepOnly(size: number): void {
    if (this.free.length > 0 && this.free[0]!.length !== size) this.free = [];
  }
}

/**
 * Pairs' counter rows (counter-deltas.ts: CounterRow) of one width, in
 * shared pages: a row costs its bytes, not a buffer or a typed-array view
 * of its own (a view is about 100 bytes of heap; a large fleet has 100,000
 * pairs). The totals and the base of a row are at the same offset of a
 * Float64 and a Uint32 page.
 */
export class CounterPages {
  private totals = new Float64Array(0);
  private base = new Uint32Array(0);
  private used = ROWS_PER_PAGE;

  constructor(readonly width = COUNT_WIDTH) {}

  /** A new zeroed row. */
  row(): CounterRow {
    if (this.used === ROWS_PER_PAGE) {
      this.totals = new Float64Array(ROWS_PER_PAGE * this.width);
      this.base = new Uint32Array(ROWS_PER_PAGE * this.width);
      this.used = 0;
    }
    const at = this.used * this.width;
    this.used += 1;
    return { totals: this.totals, base: this.base, rowAt: at, width: this.width };
  }
}

/**
 * The counter deltas owed to one time bucket: one row (six outcome counts,
 * then the histogram) per slot, a small integer the owner gives each breaker
 * or breaker × instance pair once. Deltas are added in place; the rows live
 * in pages allocated as slots are first used, so neither a report nor a
 * flush builds an object per row, and there is no string key to build or
 * hash. Rows are `stride` numbers wide, as wide as the widest histogram seen
 * (rowWidthFor), not COUNT_WIDTH: most services use a third of the 66
 * latency buckets, and at 100,000 pairs each bucket's rows took 29 MB at full
 * width. A wider delta widens the accumulator first.
 */
export class BucketAccumulator {
  private readonly pages: Array<CountPage | undefined> = [];
  private used = new Uint8Array(ROWS_PER_PAGE);
  /** The slots holding deltas, in the order they were first added to. */
  readonly slots: number[] = [];

  constructor(
    readonly bucketStart: number,
    private readonly pool: PagePool,
    private rowStride = COUNT_WIDTH,
  ) {}

  /** Numbers per row: the counts and as much of the histogram as any delta added so far reached. */
  get stride(): number {
    return this.rowStride;
  }

  /** Adds a row of deltas to a slot's row; `width` may stop short of COUNT_WIDTH when the rest is zeros. */
  add(slot: number, delta: Float64Array, width = COUNT_WIDTH): void {
    if (width > this.rowStride) this.widen(rowWidthFor(width));
    if (slot >= this.used.length) this.grow(slot);
    if (this.used[slot] === 0) {
      this.used[slot] = 1;
      this.slots.push(slot);
    }
    const pageIndex = (slot / ROWS_PER_PAGE) | 0;
    const page = (this.pages[pageIndex] ??= this.pool.take(this.rowStride));
    addToCountRow(page, (slot % ROWS_PER_PAGE) * this.rowStride, delta, width);
  }

  /** Whether a slot has a row here (it is in `slots`). */
  holds(slot: number): boolean {
    return slot < this.used.length && this.used[slot] === 1;
  }

  /** The page holding a slot's row (see offsetOf); only for slots in `slots`. */
  pageOf(slot: number): CountPage {
    return this.pages[(slot / ROWS_PER_PAGE) | 0]!;
  }

  /** Where a slot's row starts in its page. */
  offsetOf(slot: number): number {
    return (slot % ROWS_PER_PAGE) * this.rowStride;
  }

  /** Adds everything another accumulator of the same bucket holds. */
  merge(other: BucketAccumulator): void {
    const row = new Float64Array(COUNT_WIDTH);
    for (const slot of other.slots) {
      const offset = other.offsetOf(slot);
      row.set(other.pageOf(slot).subarray(offset, offset + other.stride));
      this.add(slot, row, other.stride);
    }
  }

  /** Gives the pages back to the pool; the accumulator must not be used afterwards. */
  release(): void {
    for (let i = 0; i < this.pages.length; i++) {
      const page = this.pages[i];
      if (page) this.pool.give(page);
      this.pages[i] = undefined;
    }
    this.slots.length = 0;
    this.used.fill(0);
  }

  /** Lays every row out again at a wider stride (rare: when a wider histogram than any before is reported). */
  private widen(stride: number): void {
    for (let p = 0; p < this.pages.length; p++) {
      const page = this.pages[p];
      if (!page) continue;
      const wider = new Uint32Array(ROWS_PER_PAGE * stride);
      for (let row = 0; row < ROWS_PER_PAGE; row++) wider.set(page.subarray(row * this.rowStride, (row + 1) * this.rowStride), row * stride);
      this.pages[p] = wider;
    }
    this.rowStride = stride;
  }

  private grow(slot: number): void {
    let size = this.used.length * 2;
    while (size <= slot) size *= 2;
    const used = new Uint8Array(size);
    used.set(this.used);
    this.used = used;
  }
}
