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
 * COUNT_WIDTH layout cut short. `totals` holds the cumulative values of the
 * pair's last report, to derive deltas from; `base` the low 32 bits of the
 * totals when the pair's open bucket began, so that `totals − base` is what
 * it counted in that bucket (partialBucket).
 */
export interface CounterRow {
  totals: Float64Array;
  base: Uint32Array;
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
 * In these two cases the delta is not the change of the totals: the base
 * takes the difference, so that `totals − base` still sums exactly the
 * deltas taken since it was set.
 *
 * Returns whether a restart was detected.
 */
export function takeDelta(row: CounterRow, hasBaseline: boolean, numbers: TCompactReportData, b: number, delta: Float64Array): boolean {
  const { totals, base, rowAt: at } = row;
  const width = deltaWidth(numbers, b);
  // Read straight from the report, one pass per part: this runs for every breaker of every report.
  let restarted = false;
  const counters = numbers.counters;
  const countersAt = b * HISTOGRAM_OFFSET;
  for (let i = 0; i < HISTOGRAM_OFFSET; i++) {
    const value = counters[countersAt + i]!;
    const difference = value - totals[at + i]!;
    if (difference < 0) restarted = true;
    delta[i] = difference;
    totals[at + i] = value;
  }
  const histogram = numbers.latency[b]!;
  for (let i = HISTOGRAM_OFFSET; i < width; i++) {
    const value = histogram[i - HISTOGRAM_OFFSET]!;
    const difference = value - totals[at + i]!;
    if (difference < 0) restarted = true;
    delta[i] = difference;
    totals[at + i] = value;
  }
  // Past the reported histogram the new values are zeros: a bucket counted before and not reported now went backwards.
  for (let i = width; i < row.width; i++) {
    const value = totals[at + i]!;
    if (value > 0) restarted = true;
    delta[i] = value > 0 ? -value : 0;
    totals[at + i] = 0;
  }
  // Here `delta` is the change of the totals, as far as the row reaches. (Uint32 stores wrap modulo 2^32, as the base must.)
  if (!hasBaseline) {
    // The totals moved and nothing was counted: the base moves with them.
    for (let i = 0; i < row.width; i++) base[at + i] = base[at + i]! + delta[i]!;
    delta.fill(0, 0, row.width);
    return false;
  }
  if (restarted) {
    // Counted from zero: the totals before (new totals − change) leave the base, keeping what was counted before the restart.
    for (let i = 0; i < row.width; i++) {
      base[at + i] = base[at + i]! - (totals[at + i]! - delta[i]!);
      delta[i] = totals[at + i]!;
    }
  }
  return restarted;
}

const TWO_TO_32 = 2 ** 32;

/**
 * What a pair counted since its base was set, `totals − base` modulo 2^32,
 * written into `into` as far as the row reaches. The base keeps only the low
 * 32 bits of the totals (bucket rows are 32-bit too, see
 * bucket-accumulator.ts); the difference is exact while a pair counts fewer
 * than 2^32 of one kind in one bucket. Returns whether any outcome was counted.
 */
export function partialBucket(row: CounterRow, into: Float64Array): boolean {
  const { totals, base, rowAt: at } = row;
  let counted = false;
  for (let i = 0; i < row.width; i++) {
    let difference = totals[at + i]! - base[at + i]!;
    // Out of range only once the totals have passed 2^32: then the modulo (slower) gives the low bits.
    if (difference < 0 || difference >= TWO_TO_32) difference = ((difference % TWO_TO_32) + TWO_TO_32) % TWO_TO_32;
    into[i] = difference;
    if (i < HISTOGRAM_OFFSET && difference !== 0) counted = true;
  }
  return counted;
}

/** Starts the pair's open bucket again from its totals as they are (partialBucket is then zeros). */
export function rebase(row: CounterRow): void {
  const { totals, base, rowAt: at } = row;
  for (let i = 0; i < row.width; i++) base[at + i] = totals[at + i]!;
}

/** Whether a row's outcome counts are all zero (the histogram is not looked at, as before). */
export function isEmptyRow(row: Float64Array): boolean {
  for (let i = 0; i < HISTOGRAM_OFFSET; i++) if (row[i] !== 0) return false;
  return true;
}

/** How much of a delta row takeDelta can have made non-zero: the counts and the histogram as far as the report sent it. */
export function deltaWidth(numbers: TCompactReportData, b: number): number {
  return HISTOGRAM_OFFSET + Math.min(numbers.latency[b]!.length, LATENCY_BUCKET_COUNT);
}
