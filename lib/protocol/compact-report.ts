import { z } from 'zod';
import { ZBreakerState, type TBreakerState } from './breaker-state.js';
import { MAX_BREAKERS_PER_REPORT, type TBreakerReport, type TOutcomeCounters } from './breaker-report.js';
import { LATENCY_BUCKET_COUNT } from './latency-buckets.js';
import { codeColumn, countColumn, countRows, rateColumn, refuse } from './number-columns.js';
import { ZEpochMs, ZText } from './storable.js';

const MAX = MAX_BREAKERS_PER_REPORT;

/**
 * Breaker states as the compact report writes them: the index in this list.
 * The first three are also the automatic ("would be") states.
 */
export const STATE_CODES = ZBreakerState.options;

/** The outcome counters each breaker carries in `counters`, in this order. */
export const COUNTER_ORDER = ['success', 'failure', 'timeout', 'rejected', 'slow', 'fallback'] as const satisfies ReadonlyArray<keyof TOutcomeCounters>;

/** The panel's own override a breaker holds: only those with a command id travel, for reconciliation. */
export const ZHeldOverride = z.object({
  /** The breaker's index in the registration. */
  breaker: z.number().int().nonnegative(),
  commandId: ZText.min(1).max(100),
});

// The columns other than `state`, with how many entries each has per breaker: checked in a plain loop, which allocates nothing.
const COLUMN_WIDTHS = [
  ['wouldBe', 1],
  ['counters', COUNTER_ORDER.length],
  ['windowCalls', 1],
  ['failureRate', 1],
  ['slowCallRate', 1],
  ['latency', 1],
] as const;

/**
 * `report:send` in protocol version 2, on a connection that registered: the
 * numbers of every registered breaker, in registration order, one array per
 * field. Names, configuration, labels and identity travel once, in
 * `instance:register`, so a report is only numbers that any JSON parser reads
 * fast, and one schema validates it. Counters are cumulative, as in version 1.
 */
export const ZCompactReport = z
  .object({
    sequence: z.number().int().positive(),
    /** When the reporter built it (epoch ms). */
    sentAt: ZEpochMs,
    /** Transitions dropped so far because the unacknowledged buffer was full (cumulative). */
    droppedTransitions: z.number().int().nonnegative(),
    /** Per breaker: its state, as an index into STATE_CODES. */
    state: codeColumn(MAX, STATE_CODES.length - 1),
    /** Per breaker: the automatic state under any override (0 CLOSED, 1 OPEN, 2 HALF_OPEN). */
    wouldBe: codeColumn(MAX, 2),
    /** Six cumulative counts per breaker, in COUNTER_ORDER. */
    counters: countColumn(COUNTER_ORDER.length * MAX),
    /** Per breaker: calls in the sliding window now. */
    windowCalls: countColumn(MAX),
    /** Per breaker: the window's failure rate (%). */
    failureRate: rateColumn(MAX),
    /** Per breaker: the window's slow-call rate (%). */
    slowCallRate: rateColumn(MAX),
    /** Per breaker: its cumulative latency histogram (LATENCY_BUCKET_BOUNDS_MS), trailing zero counts omitted. */
    latency: countRows(MAX, LATENCY_BUCKET_COUNT),
    /** Breakers holding an override the panel issued (usually none). */
    heldOverrides: z.array(ZHeldOverride).max(MAX).default([]),
  })
  .check((payload) => {
    const report = payload.value;
    const breakers = report.state.length;
    for (const [field, perBreaker] of COLUMN_WIDTHS) {
      const expected = breakers * perBreaker;
      const actual = report[field].length;
      if (actual !== expected) refuse(payload, `expected ${expected} entries for ${breakers} breakers, got ${actual}`, [field]);
    }
    for (let index = 0; index < report.heldOverrides.length; index++) {
      const held = report.heldOverrides[index]!;
      if (held.breaker >= breakers) refuse(payload, `no breaker at index ${held.breaker}`, ['heldOverrides', index, 'breaker']);
    }
  });

/** `report:send` payload in protocol version 2. */
export type TCompactReport = z.input<typeof ZCompactReport>;

/** A compact report as validated (`heldOverrides` filled in). */
export type TCompactReportData = z.output<typeof ZCompactReport>;

const STATE_CODE = new Map<TBreakerState, number>(STATE_CODES.map((state, index) => [state, index]));

/**
 * The compact report of breakers' stats (the per-breaker form of version 1),
 * listed in the order they were registered.
 */
export function toCompactReport(sequence: number, sentAt: number, droppedTransitions: number, stats: readonly TBreakerReport[]): TCompactReport {
  const report: Required<TCompactReport> = {
    sequence,
    sentAt,
    droppedTransitions,
    state: [],
    wouldBe: [],
    counters: [],
    windowCalls: [],
    failureRate: [],
    slowCallRate: [],
    latency: [],
    heldOverrides: [],
  };
  for (const [index, breaker] of stats.entries()) {
    report.state.push(STATE_CODE.get(breaker.state)!);
    report.wouldBe.push(STATE_CODE.get(breaker.wouldBe)!);
    for (const kind of COUNTER_ORDER) report.counters.push(breaker.counters[kind]);
    report.windowCalls.push(breaker.window.calls);
    report.failureRate.push(breaker.window.failureRate);
    report.slowCallRate.push(breaker.window.slowCallRate);
    report.latency.push(breaker.latency.counts);
    if (breaker.override?.commandId) report.heldOverrides.push({ breaker: index, commandId: breaker.override.commandId });
  }
  return report;
}
