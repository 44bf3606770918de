import { describe, expect, it } from 'vitest';
import { BucketAccumulator } from '../../../server/aggregate/bucket-accumulator';
import { COUNT_WIDTH, countRow, HISTOGRAM_OFFSET } from '../../../server/aggregate/counter-deltas';
import { MAX_OWED_BUCKETS, PendingWrites } from '../../../server/aggregate/pending-writes';
import type { BucketRows } from '../../../server/store/bucket-store';

/** A delta row with the given outcome counts and histogram. */
function delta(counts: number[], histogram: number[] = []): Float64Array {
  const row = countRow();
  row.set(counts);
  row.set(histogram, HISTOGRAM_OFFSET);
  return row;
}

/** A delta at `at` for a breaker and one of its pairs, added to both of their buckets. */
function addCounts(pending: PendingWrites, breakerSlot: number, pairSlot: number, at: number, row: Float64Array, width = COUNT_WIDTH): void {
  pending.breakerBuckets.add(breakerSlot, pending.bucketOf(at), row, width);
  pending.instanceBuckets.add(pairSlot, pending.bucketOf(at), row, width);
}

/** Every row of a batch as plain values, ordered for comparison. */
function rowsOf(rows: BucketRows, perInstance: boolean) {
  return Array.from({ length: rows.length }, (_, row) => ({
    breakerId: rows.breakerId(row),
    ...(perInstance ? { instanceId: rows.instanceId(row) } : {}),
    bucketStart: rows.bucketStart(row),
    counts: Array.from({ length: HISTOGRAM_OFFSET }, (_, kind) => rows.count(row, kind)),
    histogram: [...rows.histogram(row).subarray(0, 3)],
  })).sort((a, b) => `${a.breakerId}${a.instanceId ?? ''}${a.bucketStart}`.localeCompare(`${b.breakerId}${b.instanceId ?? ''}${b.bucketStart}`));
}

/** A slot's row of an accumulator, as plain numbers. */
const rowOf = (accumulator: BucketAccumulator, slot: number) => [...accumulator.row(accumulator.offsetOf(slot) / accumulator.stride)];

describe('BucketAccumulator', () => {
  it('counts in 32 bits and saturates instead of wrapping past them', () => {
    const accumulator = new BucketAccumulator(0, 8, 0);
    accumulator.add(0, delta([3_000_000_000, 7], [5]), 8);
    accumulator.add(0, delta([3_000_000_000, 7], [5]), 8);
    expect(rowOf(accumulator, 0).slice(0, HISTOGRAM_OFFSET + 1)).toEqual([0xffff_ffff, 14, 0, 0, 0, 0, 10]);
  });

  it('adds deltas in place per slot, rows in the order slots first came, and lists each slot once', () => {
    const accumulator = new BucketAccumulator(0, 8, 0);
    const far = 5_000;
    for (let slot = 100; slot < 140; slot++) accumulator.add(slot, delta([slot]), 8);
    accumulator.add(1, delta([1, 2]), 8);
    accumulator.add(far, delta([5], [7]), 8);
    accumulator.add(1, delta([1, 0, 3]), 8);
    expect(accumulator.slots.slice(-2)).toEqual([1, far]);
    expect(accumulator.offsetOf(1)).toBe(40 * 8);
    expect(accumulator.offsetOf(2)).toBe(-1);
    expect(rowOf(accumulator, 1).slice(0, HISTOGRAM_OFFSET + 1)).toEqual([2, 2, 3, 0, 0, 0, 0]);
    expect(rowOf(accumulator, far).slice(0, HISTOGRAM_OFFSET + 1)).toEqual([5, 0, 0, 0, 0, 0, 7]);
    expect(rowOf(accumulator, 139)[0]).toBe(139);
  });

  it('adds only the numbers listed as changed, when a list is given', () => {
    const accumulator = new BucketAccumulator(0, 8, 0);
    accumulator.add(0, delta([4, 9], [2]), 8, Int32Array.of(0, HISTOGRAM_OFFSET), 2);
    expect(rowOf(accumulator, 0).slice(0, HISTOGRAM_OFFSET + 1)).toEqual([4, 0, 0, 0, 0, 0, 2]);
  });

  it('adds only the first `width` numbers', () => {
    const accumulator = new BucketAccumulator(0, 16, 0);
    accumulator.add(0, delta([1], [1, 1, 1]), HISTOGRAM_OFFSET + 1);
    expect(rowOf(accumulator, 0).slice(HISTOGRAM_OFFSET, HISTOGRAM_OFFSET + 3)).toEqual([1, 0, 0]);
  });
});

describe('BucketAccumulator row width', () => {
  it('starts as narrow as it is told and widens, keeping every row, when a wider delta comes', () => {
    const accumulator = new BucketAccumulator(0, 8, 0);
    const far = 300;
    accumulator.add(1, delta([1, 2], [3, 4]), HISTOGRAM_OFFSET + 2);
    accumulator.add(far, delta([5], [6]), HISTOGRAM_OFFSET + 1);
    expect(accumulator.stride).toBe(8);
    // Histogram bucket 20 is the first past the narrow rows.
    const wide = delta([1], []);
    wide[HISTOGRAM_OFFSET + 20] = 9;
    accumulator.add(far, wide, HISTOGRAM_OFFSET + 21);
    expect(accumulator.stride).toBe(32);
    expect(rowOf(accumulator, 1)).toEqual([1, 2, 0, 0, 0, 0, 3, 4, ...new Array<number>(24).fill(0)]);
    const expectedFar = new Array<number>(32).fill(0);
    expectedFar[0] = 6;
    expectedFar[HISTOGRAM_OFFSET] = 6;
    expectedFar[HISTOGRAM_OFFSET + 20] = 9;
    expect(rowOf(accumulator, far)).toEqual(expectedFar);
    expect(accumulator.slots).toEqual([1, far]);
  });

  it('merges an accumulator of another width', () => {
    const narrow = new BucketAccumulator(0, 8, 0);
    narrow.add(0, delta([2], [1, 1]), HISTOGRAM_OFFSET + 2);
    const wide = new BucketAccumulator(0, 16, 0);
    const row = delta([1]);
    row[HISTOGRAM_OFFSET + 9] = 4;
    wide.add(0, row, HISTOGRAM_OFFSET + 10);
    wide.merge(narrow);
    narrow.merge(wide);
    expect(rowOf(wide, 0)).toEqual([3, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 4]);
    expect(narrow.stride).toBe(16);
    expect(rowOf(narrow, 0)).toEqual([5, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 4]);
  });

  it('hands the flush histograms as wide as the rows', () => {
    const pending = new PendingWrites(10_000);
    const slot = pending.breakerSlot('b1');
    const pair = pending.pairSlot('i1', 'b1');
    const row = delta([1]);
    row[HISTOGRAM_OFFSET + 30] = 2;
    addCounts(pending, slot, pair, 1_000, row, HISTOGRAM_OFFSET + 31);
    const batch = pending.take();
    const histogram = batch.instanceBuckets.histogram(0);
    expect(histogram.length).toBe(40 - HISTOGRAM_OFFSET);
    expect(histogram[30]).toBe(2);
    expect(batch.breakerBuckets.histogram(0)[30]).toBe(2);
  });
});

describe('PendingWrites', () => {
  function setUp() {
    const pending = new PendingWrites(10_000);
    const b1 = pending.breakerSlot('b1');
    const b2 = pending.breakerSlot('b2');
    const a1 = pending.pairSlot('i-a', 'b1');
    const b1b = pending.pairSlot('i-b', 'b1');
    const a2 = pending.pairSlot('i-a', 'b2');
    return { pending, b1, b2, a1, b1b, a2 };
  }

  it('sums deltas per breaker and per instance, per 10 s bucket', () => {
    const { pending, b1, b2, a1, b1b, a2 } = setUp();
    addCounts(pending, b1, a1, 1_000, delta([1], [1]));
    addCounts(pending, b1, b1b, 2_000, delta([2], [0, 2]));
    addCounts(pending, b2, a2, 3_000, delta([0, 4]));
    addCounts(pending, b1, a1, 12_000, delta([8]));
    expect(pending.size).toBe(3 + 4);
    const batch = pending.take();
    expect(rowsOf(batch.breakerBuckets, false)).toEqual([
      { breakerId: 'b1', bucketStart: 0, counts: [3, 0, 0, 0, 0, 0], histogram: [1, 2, 0] },
      { breakerId: 'b1', bucketStart: 10_000, counts: [8, 0, 0, 0, 0, 0], histogram: [0, 0, 0] },
      { breakerId: 'b2', bucketStart: 0, counts: [0, 4, 0, 0, 0, 0], histogram: [0, 0, 0] },
    ]);
    expect(rowsOf(batch.instanceBuckets, true)).toEqual([
      { breakerId: 'b1', instanceId: 'i-a', bucketStart: 0, counts: [1, 0, 0, 0, 0, 0], histogram: [1, 0, 0] },
      { breakerId: 'b1', instanceId: 'i-a', bucketStart: 10_000, counts: [8, 0, 0, 0, 0, 0], histogram: [0, 0, 0] },
      { breakerId: 'b1', instanceId: 'i-b', bucketStart: 0, counts: [2, 0, 0, 0, 0, 0], histogram: [0, 2, 0] },
      { breakerId: 'b2', instanceId: 'i-a', bucketStart: 0, counts: [0, 4, 0, 0, 0, 0], histogram: [0, 0, 0] },
    ]);
    expect(pending.size).toBe(0);
    expect(pending.take().instanceBuckets.length).toBe(0);
  });

  it('holds the buckets that are still open, and hands them over whole once asked for all', () => {
    const { pending, b1, a1 } = setUp();
    addCounts(pending, b1, a1, 1_000, delta([1]));
    addCounts(pending, b1, a1, 12_000, delta([2]));
    const periodic = pending.take(10_000);
    expect(rowsOf(periodic.breakerBuckets, false).map((row) => [row.bucketStart, row.counts[0]])).toEqual([[0, 1]]);
    expect(rowsOf(periodic.instanceBuckets, true).map((row) => [row.bucketStart, row.counts[0]])).toEqual([[0, 1]]);
    pending.release(periodic);
    addCounts(pending, b1, a1, 15_000, delta([4]));
    const all = pending.take();
    expect(rowsOf(all.breakerBuckets, false).map((row) => [row.bucketStart, row.counts[0]])).toEqual([[10_000, 6]]);
    expect(rowsOf(all.instanceBuckets, true).map((row) => [row.bucketStart, row.counts[0]])).toEqual([[10_000, 6]]);
  });

  it('tells what a breaker is owed until it is written: held, in a flush being written, or given back', () => {
    const { pending, b1, a1 } = setUp();
    const owed = () => pending.owedBreakerBuckets(b1).map((bucket) => [bucket.bucketStart, bucket.counts[0], bucket.histogram[0]]);
    addCounts(pending, b1, a1, 1_000, delta([1], [1]));
    addCounts(pending, b1, a1, 12_000, delta([2], [2]));
    const flushing = pending.take(10_000);
    // The closed bucket is on its way to the database, the open one held: both still count.
    expect(owed()).toEqual([
      [0, 1, 1],
      [10_000, 2, 2],
    ]);
    pending.giveBack(flushing);
    expect(owed()).toEqual([
      [0, 1, 1],
      [10_000, 2, 2],
    ]);
    pending.release(pending.take(10_000));
    expect(owed()).toEqual([[10_000, 2, 2]]);
    expect(pending.owedBreakerBuckets(b1 + 1)).toEqual([]);
  });

  it('merges a batch given back with what arrived since, counting nothing twice', () => {
    const { pending, b1, a1, b1b } = setUp();
    addCounts(pending, b1, a1, 1_000, delta([1]));
    const instance = { id: 'i-a', lastSeenAt: 1_000, droppedTransitions: 0 };
    pending.markSeen(instance);
    pending.markState({ instanceId: 'i-a', breakerId: 'b1' });
    const failed = pending.take();
    addCounts(pending, b1, b1b, 2_000, delta([2]));
    addCounts(pending, b1, a1, 11_000, delta([4]));
    Object.assign(instance, { lastSeenAt: 11_000, droppedTransitions: 1 });
    pending.markSeen(instance);
    pending.giveBack(failed);
    const batch = pending.take();
    expect(rowsOf(batch.breakerBuckets, false).map((row) => [row.bucketStart, row.counts[0]])).toEqual([
      [0, 3],
      [10_000, 4],
    ]);
    expect(rowsOf(batch.instanceBuckets, true).map((row) => [row.instanceId, row.bucketStart, row.counts[0]])).toEqual([
      ['i-a', 0, 1],
      ['i-a', 10_000, 4],
      ['i-b', 0, 2],
    ]);
    // The newer liveness wins; the state is still owed.
    expect(batch.seen).toEqual([{ id: 'i-a', lastSeenAt: new Date(11_000), droppedTransitions: 1 }]);
    expect(batch.states).toEqual([{ instanceId: 'i-a', breakerId: 'b1' }]);
  });

  it('starts the buckets after a released batch from zero', () => {
    const { pending, b1, a1 } = setUp();
    addCounts(pending, b1, a1, 1_000, delta([5]));
    const first = pending.take();
    pending.release(first);
    addCounts(pending, b1, a1, 2_000, delta([1]));
    const second = pending.take();
    expect(rowsOf(second.instanceBuckets, true).map((row) => row.counts[0])).toEqual([1]);
  });

  it('empties a written bucket it reuses for a later one: that holds only its own rows', () => {
    const { pending, b1, b2, a1, a2 } = setUp();
    addCounts(pending, b1, a1, 1_000, delta([5, 1], [4, 2]));
    pending.release(pending.take());
    addCounts(pending, b2, a2, 11_000, delta([3]));
    const owed = countRow();
    pending.owedPairCounts(a1, owed);
    expect([...owed].every((count) => count === 0)).toBe(true);
    const second = pending.take();
    expect(rowsOf(second.instanceBuckets, true)).toEqual([{ breakerId: 'b2', instanceId: 'i-a', bucketStart: 10_000, counts: [3, 0, 0, 0, 0, 0], histogram: [0, 0, 0] }]);
  });
});

describe('PendingWrites while the database is away', () => {
  it('keeps every count of a long outage in a bounded number of buckets, the oldest folded into the next', () => {
    const pending = new PendingWrites(10_000);
    const breaker = pending.breakerSlot('b1');
    const pair = pending.pairSlot('i1', 'b1');
    let sent = 0;
    // Ten minutes of one call a second, with every flush failing: 60 closed buckets.
    for (let at = 0; at < 600_000; at += 1_000) {
      addCounts(pending, breaker, pair, at, delta([1], [1]));
      sent += 1;
      if (at % 2_000 === 0) pending.giveBack(pending.take(pending.bucketOf(at)));
    }
    const batch = pending.take();
    expect(batch.breakerBuckets.buckets.length).toBeLessThanOrEqual(MAX_OWED_BUCKETS);
    expect(batch.instanceBuckets.buckets.length).toBeLessThanOrEqual(MAX_OWED_BUCKETS);
    const total = (rows: BucketRows) => rowsOf(rows, false).reduce((sum, row) => sum + row.counts[0]!, 0);
    const histogram = (rows: BucketRows) => rowsOf(rows, false).reduce((sum, row) => sum + row.histogram[0]!, 0);
    expect([total(batch.breakerBuckets), histogram(batch.breakerBuckets)]).toEqual([sent, sent]);
    expect(total(batch.instanceBuckets)).toBe(sent);
    // The newest buckets keep their own time; the folded ones are written at the oldest kept.
    const starts = rowsOf(batch.breakerBuckets, false).map((row) => row.bucketStart);
    expect(Math.max(...starts)).toBe(590_000);
    expect(rowsOf(batch.breakerBuckets, false).find((row) => row.bucketStart === 590_000)!.counts[0]).toBe(10);
  });
});
