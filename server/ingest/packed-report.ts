import type { TReport } from '../../lib/protocol/breaker-report.js';
import { ZBreakerState, type TBreakerState } from '../../lib/protocol/breaker-state.js';
import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';

/**
 * A validated `report:send` in the form the aggregate reads: the breakers'
 * numbers in one Float64Array and their states in one Uint8Array instead of
 * 250 small objects. A report decoded on a worker thread crosses to the main
 * thread as these two buffers (moved, not copied) and a few strings; it also
 * leaves nothing behind for the garbage collector but the two buffers.
 *
 * `numbers` holds, per breaker in report order, BREAKER_FIELDS numbers and
 * then its histogram counts:
 * the six outcome counters (OUTCOME_KINDS order), the window's calls,
 * failure rate and slow-call rate, and the histogram's length. The
 * histogram's sum is not carried: nothing on the panel reads it.
 * Of the overrides a reporter names, only the panel's own (those with a
 * command id) are carried, for reconciliation: the panel keeps overrides itself.
 */
export interface PackedReport {
  service: string;
  instanceId: string;
  runId: string;
  sequence: number;
  sentAt: number;
  droppedTransitions: number;
  /** Read only: the scanner hands one array to all the reports of a connection that name the same breakers. */
  names: readonly string[];
  /** Per breaker: its state and its would-be state, as indexes into ZBreakerState.options. */
  states: Uint8Array<ArrayBuffer>;
  numbers: Float64Array<ArrayBuffer>;
  /** The breakers holding an override the panel issued, with its command id (usually none). */
  heldOverrides: Array<{ breaker: string; commandId: string }>;
}

export const PACKED = { windowCalls: 6, windowFailureRate: 7, windowSlowCallRate: 8, histogramLength: 9 } as const;
/** Numbers per breaker before its histogram counts. */
export const BREAKER_FIELDS = 10;

const STATES = ZBreakerState.options;
const STATE_CODE = new Map<TBreakerState, number>(STATES.map((state, index) => [state, index]));

export const stateOfCode = (code: number): TBreakerState => STATES[code]!;

/** Packs a report that passed validation. */
export function packReport(report: TReport): PackedReport {
  const { breakers } = report;
  let length = 0;
  for (const item of breakers) length += BREAKER_FIELDS + Math.min(item.latency.counts.length, LATENCY_BUCKET_COUNT);
  const numbers = new Float64Array(length);
  const states = new Uint8Array(breakers.length * 2);
  const names = new Array<string>(breakers.length);
  const heldOverrides: PackedReport['heldOverrides'] = [];
  let at = 0;
  for (let b = 0; b < breakers.length; b++) {
    const item = breakers[b]!;
    const { counters, window } = item;
    const histogram = item.latency.counts;
    const histogramLength = Math.min(histogram.length, LATENCY_BUCKET_COUNT);
    names[b] = item.name;
    if (item.override?.commandId) heldOverrides.push({ breaker: item.name, commandId: item.override.commandId });
    states[2 * b] = STATE_CODE.get(item.state)!;
    states[2 * b + 1] = STATE_CODE.get(item.wouldBe)!;
    numbers[at] = counters.success;
    numbers[at + 1] = counters.failure;
    numbers[at + 2] = counters.timeout;
    numbers[at + 3] = counters.rejected;
    numbers[at + 4] = counters.slow;
    numbers[at + 5] = counters.fallback;
    numbers[at + PACKED.windowCalls] = window.calls;
    numbers[at + PACKED.windowFailureRate] = window.failureRate;
    numbers[at + PACKED.windowSlowCallRate] = window.slowCallRate;
    numbers[at + PACKED.histogramLength] = histogramLength;
    at += BREAKER_FIELDS;
    for (let i = 0; i < histogramLength; i++) numbers[at + i] = histogram[i]!;
    at += histogramLength;
  }
  return {
    service: report.service,
    instanceId: report.instanceId,
    runId: report.runId,
    sequence: report.sequence,
    sentAt: report.sentAt,
    droppedTransitions: report.droppedTransitions,
    names,
    states,
    numbers,
    heldOverrides,
  };
}
