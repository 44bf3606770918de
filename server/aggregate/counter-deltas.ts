import type { TCompactReportData } from '../../lib/protocol/compact-report.js';
import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';
import { OUTCOME_KINDS } from './outcome-kinds';

/**
 * The flat layout the hot path uses for the same numbers: one row of
 * COUNT_WIDTH numbers, the six outcome counts (OUTCOME_KINDS order) and then
 * the histogram from HISTOGRAM_OFFSET. One typed array per row (or many rows
 * in one array): nothing to allocate per report.
 */
export const HISTOGRAM_OFFSET = OUTCOME_KINDS.length;
export const COUNT_WIDTH = OUTCOME_KINDS.length + LATENCY_BUCKET_COUNT;

export const countRow = (): Float64Array => new Float64Array(COUNT_WIDTH);

/**
 * A breaker × instance pair's counter row: `width` numbers from `rowAt` in
 * pages shared by many pairs (CounterPages, pair-counters.ts), in the
 * COUNT_WIDTH layout cut short: the cumulative values of the pair's last
 * report, to derive deltas from.
 */
export interface CounterRow {
  totals: Float64Array;
  rowAt: number;
  width: number;
}

/**
 * Turns a breaker's cumulative counters into the delta since the previous
 * report, written into `delta`, and moves the row's totals on to this
 * report's. The row may be narrower than COUNT_WIDTH (the rest counts as
 * zeros) but must reach as far as the report's histogram (deltaWidth);
 * `delta` is written as far as the row reaches and no further: past that it
 * holds whatever it held, and nothing reads it. The breaker is the one at
 * index `b` of a compact report's arrays.
 *
 * - `hasBaseline` false: no baseline is known for this run (the server
 *   restarted mid-run): the report only sets the baseline, the delta is zero.
 * - a new run starts from zero totals, so its first report counts in full.
 * - a counter that went backwards means the process restarted without us
 *   seeing a new run id: the new totals are the delta, never a negative number.
 *
 * Returns whether a restart was detected.
 */
export function takeDelta(row: CounterRow, hasBaseline: boolean, numbers: TCompactReportData, b: number, delta: Float64Array): boolean {
  const { totals, rowAt: at } = row;
  const width = deltaWidth(numbers, b);
  // Read straight from the report, one pass per part: this runs for every breaker of every report.
  let restarted = false;
  const counters = numbers.counters;
  const countersAt = b * HISTOGRAM_OFFSET;
  for (let i = 0; i < HISTOGRAM_OFFSET; i++) {
    const value = counters[countersAt + i]!;
    if (value < totals[at + i]!) restarted = true;
    delta[i] = value - totals[at + i]!;
    totals[at + i] = value;
  }
  const histogram = numbers.latency[b]!;
  for (let i = HISTOGRAM_OFFSET; i < width; i++) {
    const value = histogram[i - HISTOGRAM_OFFSET]!;
    if (value < totals[at + i]!) restarted = true;
    delta[i] = value - totals[at + i]!;
    totals[at + i] = value;
  }
  // Past the reported histogram the new values are zeros: a bucket counted before and not reported now went backwards.
  for (let i = width; i < row.width; i++) {
    const value = totals[at + i]!;
    if (value > 0) restarted = true;
    delta[i] = value > 0 ? -value : 0;
    totals[at + i] = 0;
  }
  if (!hasBaseline) delta.fill(0, 0, row.width);
  // Counted from zero again: the new totals are what was counted.
  else if (restarted) for (let i = 0; i < row.width; i++) delta[i] = totals[at + i]!;
  return hasBaseline && restarted;
}

/** Whether a row's outcome counts are all zero (the histogram is not looked at). */
export function isEmptyRow(row: Float64Array): boolean {
  for (let i = 0; i < HISTOGRAM_OFFSET; i++) if (row[i] !== 0) return false;
  return true;
}

/** How much of a delta row takeDelta can have made non-zero: the counts and the histogram as far as the report sent it. */
export function deltaWidth(numbers: TCompactReportData, b: number): number {
  return HISTOGRAM_OFFSET + Math.min(numbers.latency[b]!.length, LATENCY_BUCKET_COUNT);
}
