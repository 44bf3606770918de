import type { TCompactReportData } from '../../lib/protocol/compact-report.js';
import { rowWidthFor } from './bucket-accumulator';
import { COUNT_WIDTH, countRow, deltaWidth, HISTOGRAM_OFFSET, nonZeroIndices, takeDelta, type CounterRow } from './counter-deltas';
import type { PairState } from './live-entries';
import type { PendingWrites } from './pending-writes';

const ROWS_PER_PAGE = 256;

/** Every pair's cumulative totals, and the delta each report adds to the pair's bucket (and the aggregate to the breaker's). */
export class PairCounters {
  /** The delta of the breaker being applied: one row reused for every report. */
  readonly delta = countRow();
  /** Where `delta` is not zero (the first `changedCount`): a report moves a few of a row's numbers, and buckets add only those. */
  readonly changed = new Int32Array(COUNT_WIDTH);
  changedCount = 0;
  deltaWidth = 0;
  /** Told before a pair's totals move by what its buckets do not show (a restart not seen, a restore), with what they moved by so far: a flush under way reads totals less owed. */
  beforeUnseenMove: ((pair: PairState, moved: Float64Array | null) => void) | undefined;
  // Rows of one width share pages: a row costs its bytes, not a typed-array view of its own (about 100 bytes of heap each).
  private readonly pages = new Map<number, { totals: Float64Array; used: number }>();
  // A pair's row is as wide as the widest histogram it reported; new pairs start as wide as any so far.
  private widestRow = rowWidthFor(HISTOGRAM_OFFSET + 1);

  constructor(private readonly pending: PendingWrites) {}

  newRow(): CounterRow {
    return this.row(this.widestRow);
  }

  /** Takes the counters of the report's breaker `b` into the pair and its bucket, the delta left in `delta` (as far as `deltaWidth`); whether it counted (a delta without outcomes counts nowhere). */
  apply(pair: PairState, numbers: TCompactReportData, b: number, bucket: number): boolean {
    const width = (this.deltaWidth = deltaWidth(numbers, b));
    if (width > pair.width) this.widen(pair, width);
    takeDelta(pair, pair.hasBaseline, numbers, b, this.delta, this.beforeUnseenMove);
    pair.hasBaseline = true;
    this.changedCount = nonZeroIndices(this.delta, width, this.changed);
    // A delta counts when an outcome count moved: those come first in the row.
    const counted = this.changedCount > 0 && this.changed[0]! < HISTOGRAM_OFFSET;
    if (counted) this.pending.instanceBuckets.add(pair.slot, bucket, this.delta, width, this.changed, this.changedCount);
    return counted;
  }

  /** Starts a pair's counters again: from zero (a run we saw begin) or with no baseline (a run joined midway). */
  reset(pair: PairState, fromZero: boolean): void {
    pair.totals.fill(0, pair.rowAt, pair.rowAt + pair.width);
    pair.hasBaseline = fromZero;
  }

  /** Moves a pair's counters on to what a server stored for the run when that is ahead (another server counted since); never back. */
  restore(pair: PairState, totals: ArrayLike<number>): void {
    if (totals.length > pair.width) this.widen(pair, totals.length);
    const at = pair.rowAt;
    for (let i = 0; i < pair.width; i++) if ((i < totals.length ? totals[i]! : 0) < pair.totals[at + i]!) return;
    this.beforeUnseenMove?.(pair, null);
    for (let i = 0; i < pair.width; i++) pair.totals[at + i] = i < totals.length ? totals[i]! : 0;
    pair.hasBaseline = true;
  }

  private row(width: number): CounterRow {
    let page = this.pages.get(width);
    if (!page || page.used === ROWS_PER_PAGE) this.pages.set(width, (page = { totals: new Float64Array(ROWS_PER_PAGE * width), used: 0 }));
    return { totals: page.totals, rowAt: page.used++ * width, width };
  }

  /** Moves a pair to a row wide enough for `width` numbers. */
  private widen(pair: PairState, width: number): void {
    const wider = this.row(rowWidthFor(width));
    wider.totals.set(pair.totals.subarray(pair.rowAt, pair.rowAt + pair.width), wider.rowAt);
    Object.assign(pair, wider);
    if (wider.width > this.widestRow) this.widestRow = wider.width;
  }
}
