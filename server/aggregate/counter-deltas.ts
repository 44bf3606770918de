import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';
import { BREAKER_FIELDS, PACKED } from '../ingest/packed-report';
import { OUTCOME_KINDS } from './outcome-kinds';

/** Counts of the six outcome kinds and the latency histogram, as numbers that add. */
export interface Counts {
  counts: Float64Array;
  histogram: Float64Array;
}

export const emptyCounts = (): Counts => ({ counts: new Float64Array(OUTCOME_KINDS.length), histogram: new Float64Array(LATENCY_BUCKET_COUNT) });

/**
 * The flat layout the hot path uses for the same numbers: one row of
 * COUNT_WIDTH numbers, the six outcome counts (OUTCOME_KINDS order) and then
 * the histogram from HISTOGRAM_OFFSET. One typed array per row (or many rows
 * in one array) instead of two arrays per Counts: nothing to allocate per report.
 */
export const HISTOGRAM_OFFSET = OUTCOME_KINDS.length;
export const COUNT_WIDTH = OUTCOME_KINDS.length + LATENCY_BUCKET_COUNT;

export const countRow = (): Float64Array => new Float64Array(COUNT_WIDTH);

/**
 * Turns a breaker's cumulative counters into the delta since the previous
 * report, written into `delta`, and moves `totals` (the cumulative values of
 * the previous report, updated in place) on to this report's. `totals` may be
 * shorter than COUNT_WIDTH (the rest counts as zeros) but must reach as far
 * as the report's histogram (deltaWidth); `delta` is written as far as
 * `totals` reaches and no further: past that it holds whatever it held, and
 * nothing reads it. The breaker is read from a packed report's numbers at
 * `offset` (server/ingest/packed-report.ts).
 *
 * - `hasBaseline` false: no baseline is known for this run (the server
 *   restarted mid-run): the report only sets the baseline, the delta is zero.
 * - a new run starts from zero totals, so its first report counts in full.
 * - a counter that went backwards means the process restarted without us
 *   seeing a new run id: the new totals are the delta, never a negative number.
 *
 * Returns whether a restart was detected.
 */
export function takeDelta(totals: Float64Array, hasBaseline: boolean, numbers: Float64Array, offset: number, delta: Float64Array): boolean {
  const width = deltaWidth(numbers, offset);
  // Read straight from the report, one pass per part: this runs for every breaker of every report.
  let restarted = false;
  // The six counters come first in both layouts.
  for (let i = 0; i < HISTOGRAM_OFFSET; i++) {
    const value = numbers[offset + i]!;
    const difference = value - totals[i]!;
    if (difference < 0) restarted = true;
    delta[i] = difference;
    totals[i] = value;
  }
  const histogramAt = offset + BREAKER_FIELDS - HISTOGRAM_OFFSET;
  for (let i = HISTOGRAM_OFFSET; i < width; i++) {
    const value = numbers[histogramAt + i]!;
    const difference = value - totals[i]!;
    if (difference < 0) restarted = true;
    delta[i] = difference;
    totals[i] = value;
  }
  // Past the reported histogram the new values are zeros: a bucket counted before and not reported now went backwards.
  for (let i = width; i < totals.length; i++) {
    if (totals[i]! > 0) restarted = true;
    delta[i] = 0;
    totals[i] = 0;
  }
  if (!hasBaseline) {
    delta.fill(0, 0, totals.length);
    return false;
  }
  if (restarted) delta.set(totals);
  return restarted;
}

/** Adds a row of deltas into `into` at `offset` (a row of a larger array), up to `width` numbers. */
export function addRow(into: Float64Array, offset: number, delta: Float64Array, width = COUNT_WIDTH): void {
  for (let i = 0; i < width; i++) into[offset + i]! += delta[i]!;
}

/** Whether a row's outcome counts are all zero (the histogram is not looked at, as before). */
export function isEmptyRow(row: Float64Array): boolean {
  for (let i = 0; i < HISTOGRAM_OFFSET; i++) if (row[i] !== 0) return false;
  return true;
}

/** How much of a delta row takeDelta can have made non-zero: the counts and the histogram as far as the report sent it. */
export function deltaWidth(numbers: Float64Array, offset: number): number {
  return HISTOGRAM_OFFSET + numbers[offset + PACKED.histogramLength]!;
}
