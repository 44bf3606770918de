import type { TReport } from '../../lib/protocol/breaker-report.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import { COUNTER_ORDER, STATE_CODES, toCompactReport, type TCompactReport } from '../../lib/protocol/compact-report.js';
import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';

/**
 * A validated `report:send` in the form the aggregate reads, whichever
 * protocol version it came in: the breakers' numbers in one Float64Array and
 * their states in one Uint8Array.
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
  /** Read only: every compact report of a registration hands the same array, which the aggregate recognises by identity. */
  names: readonly string[];
  /** Per breaker: its state and its would-be state, as indexes into STATE_CODES. */
  states: Uint8Array<ArrayBuffer>;
  numbers: Float64Array<ArrayBuffer>;
  /** The breakers holding an override the panel issued, with its command id (usually none). */
  heldOverrides: Array<{ breaker: string; commandId: string }>;
}

export const PACKED = { windowCalls: 6, windowFailureRate: 7, windowSlowCallRate: 8, histogramLength: 9 } as const;
/** Numbers per breaker before its histogram counts. */
export const BREAKER_FIELDS = 10;

export const stateOfCode = (code: number): TBreakerState => STATE_CODES[code]!;

/** Packs a full report (HTTP batches, version 1 connections) that passed validation, through its compact form. */
export function packReport(report: TReport): PackedReport {
  const compact = toCompactReport(report.sequence, report.sentAt, report.droppedTransitions, report.breakers);
  return packCompactReport(compact, { service: report.service, instanceId: report.instanceId, runId: report.runId, names: report.breakers.map((breaker) => breaker.name) });
}

/** What a connection's registration says of the compact reports that follow it. */
export interface CompactReportContext {
  service: string;
  instanceId: string;
  runId: string;
  /** The registered breakers' names in registration order: what a compact report's indexes stand for. */
  names: readonly string[];
}

/** Packs a compact report that passed validation and has one entry per registered breaker. */
export function packCompactReport(report: TCompactReport, context: CompactReportContext): PackedReport {
  const { latency, counters, windowCalls, failureRate, slowCallRate } = report;
  const breakers = context.names.length;
  let length = 0;
  for (let b = 0; b < breakers; b++) length += BREAKER_FIELDS + Math.min(latency[b]!.length, LATENCY_BUCKET_COUNT);
  const numbers = new Float64Array(length);
  const states = new Uint8Array(breakers * 2);
  let at = 0;
  for (let b = 0; b < breakers; b++) {
    const histogram = latency[b]!;
    const histogramLength = Math.min(histogram.length, LATENCY_BUCKET_COUNT);
    states[2 * b] = report.state[b]!;
    states[2 * b + 1] = report.wouldBe[b]!;
    for (let i = 0; i < COUNTER_ORDER.length; i++) numbers[at + i] = counters[b * COUNTER_ORDER.length + i]!;
    numbers[at + PACKED.windowCalls] = windowCalls[b]!;
    numbers[at + PACKED.windowFailureRate] = failureRate[b]!;
    numbers[at + PACKED.windowSlowCallRate] = slowCallRate[b]!;
    numbers[at + PACKED.histogramLength] = histogramLength;
    at += BREAKER_FIELDS;
    for (let i = 0; i < histogramLength; i++) numbers[at + i] = histogram[i]!;
    at += histogramLength;
  }
  return {
    service: context.service,
    instanceId: context.instanceId,
    runId: context.runId,
    sequence: report.sequence,
    sentAt: report.sentAt,
    droppedTransitions: report.droppedTransitions,
    names: context.names,
    states,
    numbers,
    heldOverrides: (report.heldOverrides ?? []).map((held) => ({ breaker: context.names[held.breaker]!, commandId: held.commandId })),
  };
}
