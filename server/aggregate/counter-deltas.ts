import type { TBreakerReport } from '../../lib/protocol/breaker-report.js';
import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';
import { OUTCOME_KINDS } from './outcome-kinds';

/** Counts of the six outcome kinds and the latency histogram, as numbers that add. */
export interface Counts {
  counts: Float64Array;
  histogram: Float64Array;
}

export const emptyCounts = (): Counts => ({ counts: new Float64Array(OUTCOME_KINDS.length), histogram: new Float64Array(LATENCY_BUCKET_COUNT) });

/**
 * Turns a breaker's cumulative counters into the delta since the previous
 * report and returns the new totals to remember.
 *
 * - `last` null: no baseline is known for this run (the server restarted
 *   mid-run): the report only sets the baseline, the delta is zero.
 * - a new run starts from zero totals, so its first report counts in full.
 * - a counter that went backwards means the process restarted without us
 *   seeing a new run id: the new totals are the delta, never a negative number.
 */
export function takeDelta(last: Counts | null, report: TBreakerReport, delta: Counts): { restarted: boolean; last: Counts } {
  const next = last ?? emptyCounts();
  const counters = report.counters;
  const histogram = report.latency.counts;
  let restarted = false;
  if (last) {
    for (let i = 0; i < OUTCOME_KINDS.length; i++) if (counters[OUTCOME_KINDS[i]!] < next.counts[i]!) restarted = true;
    for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) if ((histogram[i] ?? 0) < next.histogram[i]!) restarted = true;
  }
  for (let i = 0; i < OUTCOME_KINDS.length; i++) {
    const value = counters[OUTCOME_KINDS[i]!];
    delta.counts[i] = last === null ? 0 : restarted ? value : value - next.counts[i]!;
    next.counts[i] = value;
  }
  for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) {
    const value = histogram[i] ?? 0;
    delta.histogram[i] = last === null ? 0 : restarted ? value : value - next.histogram[i]!;
    next.histogram[i] = value;
  }
  return { restarted, last: next };
}

export function addCounts(into: Counts, delta: Counts): void {
  for (let i = 0; i < into.counts.length; i++) into.counts[i]! += delta.counts[i]!;
  for (let i = 0; i < into.histogram.length; i++) into.histogram[i]! += delta.histogram[i]!;
}

export function isEmpty(counts: Counts): boolean {
  for (const value of counts.counts) if (value !== 0) return false;
  return true;
}
