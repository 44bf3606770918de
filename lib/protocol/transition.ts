import { z } from 'zod';
import { ZEpochMs, ZText } from './storable.js';
import { ZAutomaticState, ZBreakerState, ZTransitionCause } from './breaker-state.js';
import { ZInstanceRef, ZName } from './identity.js';

/**
 * `transition:report` — one state change, sent at once. `sequence` counts
 * transitions of this run (all breakers of the instance) from 1; the server
 * stores it before acknowledging and drops duplicates by
 * (instanceId, runId, sequence), so the reporter replays unacknowledged ones
 * after a reconnect without fear of double entries.
 */
export const ZTransition = ZInstanceRef.extend({
  sequence: z.number().int().positive(),
  breaker: ZName,
  from: ZBreakerState,
  to: ZBreakerState,
  /** The automatic state after the transition (differs from `to` under an override). */
  wouldBe: ZAutomaticState,
  /** When it happened (epoch ms). */
  at: ZEpochMs,
  cause: ZTransitionCause,
  /** Failure rate (%) over the window that caused it (or at that moment). */
  failureRate: z.number().min(0).max(100),
  /** Slow-call rate (%) over the window that caused it (or at that moment). */
  slowCallRate: z.number().min(0).max(100),
  /** The command behind it when cause is `command`, else null. */
  commandId: ZText.max(100).nullable(),
});

/** `transition:report` payload. */
export type TTransition = z.infer<typeof ZTransition>;
