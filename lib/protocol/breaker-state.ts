import { z } from 'zod';

/**
 * The five states a breaker can be in (PRODUCT.md). The FORCED_ states are
 * set by an operator; the other three are the automatic state machine.
 */
export const ZBreakerState = z.enum(['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'FORCED_CLOSED']);

/** One of the five breaker states. */
export type TBreakerState = z.infer<typeof ZBreakerState>;

/** The states of the automatic state machine: what a breaker "would be" without an override. */
export const ZAutomaticState = z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']);

/** One of the three automatic states. */
export type TAutomaticState = z.infer<typeof ZAutomaticState>;

/**
 * Why a transition happened. The rates in a transition are the ones that
 * caused it for the first two causes, and the window's rates at that moment
 * for the others.
 */
export const ZTransitionCause = z.enum([
  /** CLOSED → OPEN: the failure rate over the window reached its threshold. */
  'failure_rate',
  /** CLOSED → OPEN: the slow-call rate over the window reached its threshold. */
  'slow_call_rate',
  /** OPEN → HALF_OPEN: the open timeout elapsed. */
  'open_timeout_elapsed',
  /** HALF_OPEN → CLOSED: every trial call succeeded. */
  'trials_succeeded',
  /** HALF_OPEN → OPEN: a trial call failed, timed out or was slow. */
  'trial_failed',
  /** Any → FORCED_* / CLOSED: an operator command from the panel (commandId says which). */
  'command',
  /** Any → FORCED_* / CLOSED: the host called forceOpen/forceClosed/reset/release itself. */
  'manual',
  /** FORCED_* → CLOSED: the override reached its expiry. */
  'override_expired',
]);

/** Why a transition happened. */
export type TTransitionCause = z.infer<typeof ZTransitionCause>;
