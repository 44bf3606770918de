import type { TCompactReportData } from '../../lib/protocol/compact-report.js';
import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';
import { OUTCOME_KINDS } from './outcome-kinds';

/** A row of counts: the six outcome counts (OUTCOME_KINDS order), then the latency histogram from HISTOGRAM_OFFSET. */
export const HISTOGRAM_OFFSET = OUTCOME_KINDS.length;
export const COUNT_WIDTH = OUTCOME_KINDS.length + LATENCY_BUCKET_COUNT;

export const countRow = (): Float64Array => new Float64Array(COUNT_WIDTH);

/** A pair's counter row, `width` numbers from `rowAt` in pages shared by many pairs (pair-counters.ts): its last report's totals. */
export interface CounterRow {
  totals: Float64Array;
  rowAt: number;
  width: number;
}

/**
 * Writes into `delta` (as far as the row reaches) what breaker `b` of a report counted since the row's totals, and moves
 * the totals on. Without a baseline (a run joined midway) the delta is zero; a counter that went backwards is a restart
 * we did not see, and the new totals are the delta (`onRestart` told first, `delta` new less old). Returns whether a restart was seen.
 */
export function takeDelta<R extends CounterRow>(row: R, hasBaseline: boolean, numbers: TCompactReportData, b: number, delta: Float64Array, onRestart?: (row: R, moved: Float64Array) => void): boolean {
  const { totals, rowAt: at } = row;
  const width = deltaWidth(numbers, b);
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
  else if (restarted) {
    onRestart?.(row, delta);
    for (let i = 0; i < row.width; i++) delta[i] = totals[at + i]!;
  }
  return hasBaseline && restarted;
}

/** Lists in `into` where a delta row is not zero, as far as `width`, in order; returns how many. */
export function nonZeroIndices(row: Float64Array, width: number, into: Int32Array): number {
  let count = 0;
  for (let i = 0; i < width; i++) if (row[i] !== 0) into[count++] = i;
  return count;
}

/** How much of a delta row takeDelta can have made non-zero: the counts and the histogram as far as the report sent it. */
export function deltaWidth(numbers: TCompactReportData, b: number): number {
  return HISTOGRAM_OFFSET + Math.min(numbers.latency[b]!.length, LATENCY_BUCKET_COUNT);
}
