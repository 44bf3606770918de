import type { TCompactReportData } from '../../lib/protocol/compact-report.js';
import { CounterPages, rowWidthFor } from './bucket-accumulator';
import { countRow, deltaWidth, HISTOGRAM_OFFSET, isEmptyRow, partialBucket, rebase, takeDelta, type CounterRow } from './counter-deltas';
import type { InstanceState, PairState } from './live-entries';
import type { PendingWrites } from './pending-writes';

/**
 * The counters of every breaker × instance pair: each pair's cumulative
 * totals, the delta each report adds, and its per-instance bucket row,
 * derived once per bucket (closeBucket) rather than summed on every report.
 */
export class PairCounters {
  /** The delta of the breaker being applied: one row reused for every report. */
  readonly delta = countRow();
  // A pair's counts over the bucket it leaves.
  private readonly leftBucket = countRow();
  // Every pair, by slot: closing buckets reaches pairs that have not reported since their bucket ended.
  private readonly pairsBySlot: PairState[] = [];
  // Rows by width: as wide as the widest histogram the pair reported (see BucketAccumulator), new pairs as wide as any so far.
  private readonly pages = new Map<number, CounterPages>();
  private widestRow = rowWidthFor(HISTOGRAM_OFFSET + 1);

  constructor(private readonly pending: PendingWrites) {}

  /** A zeroed row for a new pair, which must then be handed to track(). */
  newRow(): CounterRow {
    return this.row(this.widestRow);
  }

  track(pair: PairState): void {
    this.pairsBySlot[pair.slot] = pair;
  }

  /**
   * Takes a report's counters for the breaker at index `b` into the pair:
   * the delta since its last report is left in `delta`. Returns how far the
   * delta reaches and whether it counted any outcome.
   */
  apply(pair: PairState, numbers: TCompactReportData, b: number, bucket: number): { width: number; counted: boolean } {
    // Past the histogram the report sent, the delta is zeros: nothing needs to go further.
    const width = deltaWidth(numbers, b);
    if (width > pair.width) this.widen(pair, width);
    if (pair.openBucket !== bucket) this.closeBucket(pair, bucket);
    takeDelta(pair, pair.hasBaseline, numbers, b, this.delta);
    pair.hasBaseline = true;
    const counted = !isEmptyRow(this.delta);
    if (!counted) {
      // A delta with no outcome is not counted anywhere (a histogram moving alone): it must not reach the pair's bucket row either.
      for (let i = HISTOGRAM_OFFSET, { base, rowAt } = pair; i < width; i++) base[rowAt + i] = base[rowAt + i]! + this.delta[i]!;
    }
    return { width, counted };
  }

  /** Starts a pair's counters again: from zero (a run we saw begin) or with no baseline (a run joined midway). */
  reset(pair: PairState, fromZero: boolean): void {
    // What the pair counted in its open bucket stays counted.
    const { totals, base, rowAt } = pair;
    for (let i = rowAt; i < rowAt + pair.width; i++) {
      base[i] = base[i]! - totals[i]!;
      totals[i] = 0;
    }
    pair.hasBaseline = fromZero;
  }

  /** Adds what every pair counted in buckets before `holdBucketsFrom` to those buckets' rows (all buckets when it is Infinity). */
  closeBuckets(holdBucketsFrom: number): void {
    for (const pair of this.pairsBySlot) if (pair.openBucket < holdBucketsFrom) this.closeBucket(pair, Number.isFinite(holdBucketsFrom) ? holdBucketsFrom : pair.openBucket);
  }

  /** An instance's counters as far as they are stored or in the batch just taken: its totals less what its open buckets counted. */
  countedThrough(instance: InstanceState): { runId: string; breakerIds: string[]; widths: number[]; totals: Float64Array } | null {
    if (!instance.runId) return null;
    const breakerIds: string[] = [];
    const widths: number[] = [];
    let length = 0;
    for (const pair of instance.pairs.values()) {
      if (!pair.hasBaseline) continue;
      breakerIds.push(pair.breakerId);
      widths.push(pair.width);
      length += pair.width;
    }
    if (breakerIds.length === 0) return null;
    // One typed array per instance, sized once: a fleet's baselines are millions of numbers per bucket.
    const totals = new Float64Array(length);
    let at = 0;
    for (const pair of instance.pairs.values()) {
      if (!pair.hasBaseline) continue;
      partialBucket(pair, this.leftBucket);
      for (let i = 0; i < pair.width; i++) totals[at++] = pair.totals[pair.rowAt + i]! - this.leftBucket[i]!;
    }
    return { runId: instance.runId, breakerIds, widths, totals };
  }

  /**
   * Moves a pair's counters on to what a server stored for the run, when
   * that is ahead of what this server last saw (another server counted the
   * run since): its next report counts from there. Counters behind or equal
   * to the pair's own are left alone, so a server never counts again what it
   * counted itself. What the pair counted in its open bucket stays counted.
   */
  restore(pair: PairState, totals: ArrayLike<number>): void {
    if (totals.length > pair.width) this.widen(pair, totals.length);
    const at = pair.rowAt;
    for (let i = 0; i < pair.width; i++) if ((i < totals.length ? totals[i]! : 0) < pair.totals[at + i]!) return;
    for (let i = 0; i < pair.width; i++) {
      const value = i < totals.length ? totals[i]! : 0;
      // totals − base is the open bucket's count: the base moves with the totals. (Uint32 stores wrap modulo 2^32, as the base must.)
      pair.base[at + i] = pair.base[at + i]! + (value - pair.totals[at + i]!);
      pair.totals[at + i] = value;
    }
    pair.hasBaseline = true;
  }

  private row(width: number): CounterRow {
    let pages = this.pages.get(width);
    if (!pages) this.pages.set(width, (pages = new CounterPages(width)));
    return pages.row();
  }

  /** Moves a pair to a wider row, to hold `width` numbers, before a report that reaches that far. */
  private widen(pair: PairState, width: number): void {
    const wider = this.row(rowWidthFor(width));
    for (let i = 0; i < pair.width; i++) {
      wider.totals[wider.rowAt + i] = pair.totals[pair.rowAt + i]!;
      wider.base[wider.rowAt + i] = pair.base[pair.rowAt + i]!;
    }
    Object.assign(pair, wider);
    if (wider.width > this.widestRow) this.widestRow = wider.width;
  }

  /** Adds what a pair counted in its open bucket to that bucket's per-instance row, and opens `next`. */
  private closeBucket(pair: PairState, next: number): void {
    if (partialBucket(pair, this.leftBucket)) this.pending.addPairCounts(pair.slot, pair.openBucket, this.leftBucket, pair.width);
    rebase(pair);
    pair.openBucket = next;
  }
}
