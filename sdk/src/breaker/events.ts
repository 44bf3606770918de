import type { TAutomaticState, TBreakerState, TTransitionCause } from '../../../lib/protocol/index.js';
import type { BreakerTimeoutError } from './errors.js';
import type { FallbackReason } from './options.js';

/** A change of a breaker's public state. */
export interface StateChangeEvent {
  breaker: string;
  from: TBreakerState;
  to: TBreakerState;
  /** The automatic state after the change (differs from `to` under an override). */
  wouldBe: TAutomaticState;
  cause: TTransitionCause;
  /** Epoch ms. */
  at: number;
  /** Failure rate (%) that caused it, or of the window at that moment. */
  failureRate: number;
  /** Slow-call rate (%) that caused it, or of the window at that moment. */
  slowCallRate: number;
  /** The panel command behind it, if any. */
  commandId: string | null;
}

/** The events of a breaker and their payloads. */
export interface BreakerEvents {
  stateChange: StateChangeEvent;
  /** A call completed without a counted failure (errors `isFailure` excludes included). */
  success: { breaker: string; durationMs: number; slow: boolean };
  failure: { breaker: string; durationMs: number; slow: boolean; error: unknown };
  timeout: { breaker: string; durationMs: number; error: BreakerTimeoutError };
  /** A call was short-circuited. */
  rejected: { breaker: string; state: TBreakerState };
  /** A fallback answered a call. */
  fallback: { breaker: string; reason: FallbackReason; error: unknown };
}

/** Options of forceOpen / forceClosed (and, in part, reset / release). */
export interface OverrideOptions {
  /** When the override ends on its own (epoch ms); default: until released. */
  expiresAt?: number | null;
  /** The panel command that asked for it, reported with the transition. */
  commandId?: string | null;
}
