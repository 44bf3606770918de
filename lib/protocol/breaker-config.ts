import { z } from 'zod';

/** The sliding window that failure and slow-call rates are computed over. */
export const ZWindowConfig = z.discriminatedUnion('type', [
  /** The last `size` completed calls. */
  z.object({ type: z.literal('count'), size: z.number().int().positive() }),
  /** The calls completed in the last `seconds` seconds (one-second buckets). */
  z.object({ type: z.literal('time'), seconds: z.number().int().positive() }),
]);

/** The sliding window that failure and slow-call rates are computed over. */
export type TWindowConfig = z.infer<typeof ZWindowConfig>;

/** Exponential growth of the open timeout on repeated trips (HALF_OPEN → OPEN). */
export const ZOpenTimeoutBackoff = z.object({
  multiplier: z.number().min(1),
  maxMs: z.number().positive(),
});

/** Exponential growth of the open timeout on repeated trips. */
export type TOpenTimeoutBackoff = z.infer<typeof ZOpenTimeoutBackoff>;

/**
 * A breaker's configuration as reported at registration, so the panel can show
 * thresholds beside live rates. Durations are milliseconds, rates percent (0–100).
 * `null` means "not configured".
 */
export const ZBreakerConfig = z.object({
  /** Which implementation reports it: our breaker (Node or Python), or an adapted library. */
  implementation: z.enum(['breaker-panel', 'opossum', 'pybreaker']),
  window: ZWindowConfig,
  failureRateThreshold: z.number().min(0).max(100),
  slowCallThresholdMs: z.number().nonnegative().nullable(),
  slowCallRateThreshold: z.number().min(0).max(100).nullable(),
  minimumCalls: z.number().int().nonnegative(),
  openTimeoutMs: z.number().nonnegative(),
  openTimeoutBackoff: ZOpenTimeoutBackoff.nullable(),
  halfOpenMaxCalls: z.number().int().positive(),
  callTimeoutMs: z.number().positive().nullable(),
  hasFallback: z.boolean(),
});

/** A breaker's configuration as reported at registration. */
export type TBreakerConfig = z.infer<typeof ZBreakerConfig>;
