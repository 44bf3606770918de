import { z } from 'zod';
import { ZEpochMs, ZText } from './storable.js';
import { ZAutomaticState, ZBreakerState } from './breaker-state.js';
import { ZInstanceRef, ZName } from './identity.js';
import { LATENCY_BUCKET_COUNT } from './latency-buckets.js';

const ZCount = z.number().int().nonnegative();

/**
 * Cumulative outcome counts since the process started (never reset, so a lost
 * or repeated report can't lose or double-count a call; a counter that goes
 * backwards means the process restarted). success + failure + timeout +
 * rejected is the number of calls; slow counts completed calls (success or
 * failure) slower than the slow-call threshold; fallback counts calls answered
 * by the fallback.
 */
export const ZOutcomeCounters = z.object({
  success: ZCount,
  failure: ZCount,
  timeout: ZCount,
  rejected: ZCount,
  slow: ZCount,
  fallback: ZCount,
});

/** Cumulative outcome counts. */
export type TOutcomeCounters = z.infer<typeof ZOutcomeCounters>;

/**
 * Cumulative latency histogram of executed calls (success, failure, timeout)
 * against LATENCY_BUCKET_BOUNDS_MS. Trailing zero counts may be omitted.
 */
export const ZLatencyHistogram = z.object({
  counts: z.array(ZCount).max(LATENCY_BUCKET_COUNT),
  /** Sum of all recorded latencies (ms), for the mean. */
  sumMs: z.number().nonnegative(),
});

/** Cumulative latency histogram. */
export type TLatencyHistogram = z.infer<typeof ZLatencyHistogram>;

/** The sliding window right now: what the next trip decision will look at. */
export const ZWindowSnapshot = z.object({
  calls: ZCount,
  failureRate: z.number().min(0).max(100),
  slowCallRate: z.number().min(0).max(100),
});

/** The sliding window right now. */
export type TWindowSnapshot = z.infer<typeof ZWindowSnapshot>;

/** The operator override in force on a breaker, if any. */
export const ZOverrideInForce = z.object({
  state: z.enum(['FORCED_OPEN', 'FORCED_CLOSED']),
  /** Epoch ms; null = until released. */
  expiresAt: ZEpochMs.nullable(),
  /** The command that set it; null when the host set it itself. */
  commandId: ZText.nullable(),
});

/** The operator override in force on a breaker. */
export type TOverrideInForce = z.infer<typeof ZOverrideInForce>;

/** One breaker in a periodic report. */
export const ZBreakerReport = z.object({
  name: ZName,
  state: ZBreakerState,
  /** The state the automatic machine is in: equals `state` unless an override is in force. */
  wouldBe: ZAutomaticState,
  override: ZOverrideInForce.nullable(),
  counters: ZOutcomeCounters,
  latency: ZLatencyHistogram,
  window: ZWindowSnapshot,
});

/** One breaker in a periodic report. */
export type TBreakerReport = z.infer<typeof ZBreakerReport>;

/** The most breakers one report may carry (the schema's limit, shared by the server's fast readers). */
export const MAX_BREAKERS_PER_REPORT = 10_000;

/**
 * `report:send` — every breaker's cumulative counters, histogram and state,
 * sent every report interval (1 s by default) and doubling as the heartbeat.
 * `sequence` counts reports of this run from 1.
 */
export const ZReport = ZInstanceRef.extend({
  sequence: z.number().int().positive(),
  /** When the reporter built it (epoch ms). */
  sentAt: ZEpochMs,
  /** Transitions dropped so far because the unacknowledged buffer was full (cumulative). */
  droppedTransitions: ZCount,
  breakers: z.array(ZBreakerReport).max(MAX_BREAKERS_PER_REPORT),
});

/** `report:send` payload. */
export type TReport = z.infer<typeof ZReport>;
