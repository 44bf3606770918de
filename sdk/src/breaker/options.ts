import { ZName, type TBreakerConfig, type TWindowConfig } from '../../../lib/protocol/index.js';
import type { Clock } from './clock.js';

/** Why a fallback was used. */
export type FallbackReason = 'rejected' | 'failure' | 'timeout';

/** Options of a CircuitBreaker. Durations are milliseconds, rates percent. */
export interface CircuitBreakerOptions<TFallback = never> {
  /** Names the breaker on the panel and in errors; unique within a service. */
  name: string;
  /** The window rates are computed over. Default: the last 100 calls. */
  window?: TWindowConfig;
  /** Trip when the failure rate (failures and timeouts) reaches this. Default 50. */
  failureRateThreshold?: number;
  /** A call slower than this counts as slow. Default: slow calls are not tracked. */
  slowCallThreshold?: number;
  /** Trip when the slow-call rate reaches this. Default 100 when slowCallThreshold is set. */
  slowCallRateThreshold?: number;
  /** No trip decision before the window holds this many calls. Default 10 (at most the count window size). */
  minimumCalls?: number;
  /** How long the breaker stays OPEN before letting trial calls through. Default 30 000. */
  openTimeout?: number;
  /** Grow the open timeout on repeated trips: openTimeout × multiplier^(trips−1), at most maxMs. */
  openTimeoutBackoff?: { multiplier?: number; maxMs: number };
  /** Trial calls let through in HALF_OPEN; all must succeed to close. Default 1. */
  halfOpenMaxCalls?: number;
  /** Per-call timeout: the call's AbortSignal is aborted and the call counts as a timeout. Default none. */
  timeout?: number;
  /** Which errors count as failures (a 404 usually should not). Default: every error. Errors it excludes count as successes. */
  isFailure?: (error: unknown) => boolean;
  /** Answers rejected, failed and timed-out calls instead of rejecting. */
  fallback?: (error: unknown, reason: FallbackReason) => TFallback | PromiseLike<TFallback>;
  /** Where the time comes from (tests pass a fake). Default: createTurnClock(). */
  clock?: Clock;
}

/** Options with defaults applied and checked. */
export interface ResolvedOptions<TFallback> {
  name: string;
  window: TWindowConfig;
  failureRateThreshold: number;
  /** Infinity when slow calls are not tracked, so `duration > slowCallThreshold` is simply false. */
  slowCallThreshold: number;
  slowCallRateThreshold: number | null;
  minimumCalls: number;
  openTimeout: number;
  openTimeoutBackoff: { multiplier: number; maxMs: number } | null;
  halfOpenMaxCalls: number;
  timeout: number | null;
  isFailure: ((error: unknown) => boolean) | null;
  fallback: ((error: unknown, reason: FallbackReason) => TFallback | PromiseLike<TFallback>) | null;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`CircuitBreaker: ${message}`);
}

/** What a breaker name must be: the panel's rule for names (ZName in lib/protocol/identity.ts). */
export const BREAKER_NAME_RULE = 'name must be 1–200 characters of well-formed Unicode text without NUL characters';

/** Applies defaults and rejects impossible settings at construction, not at the first trip. */
export function resolveOptions<TFallback>(options: CircuitBreakerOptions<TFallback>): ResolvedOptions<TFallback> {
  const window = options.window ?? { type: 'count', size: 100 };
  const windowCapacity = window.type === 'count' ? window.size : Infinity;
  const resolved: ResolvedOptions<TFallback> = {
    name: options.name,
    window,
    failureRateThreshold: options.failureRateThreshold ?? 50,
    slowCallThreshold: options.slowCallThreshold ?? Infinity,
    slowCallRateThreshold: options.slowCallThreshold === undefined ? null : (options.slowCallRateThreshold ?? 100),
    minimumCalls: options.minimumCalls ?? Math.min(10, windowCapacity),
    openTimeout: options.openTimeout ?? 30_000,
    openTimeoutBackoff: options.openTimeoutBackoff ? { multiplier: options.openTimeoutBackoff.multiplier ?? 2, maxMs: options.openTimeoutBackoff.maxMs } : null,
    halfOpenMaxCalls: options.halfOpenMaxCalls ?? 1,
    timeout: options.timeout ?? null,
    isFailure: options.isFailure ?? null,
    fallback: options.fallback ?? null,
  };
  // The panel's own rule for names (ZName): a name it would refuse is refused here, in the host's code, not by every report.
  check(ZName.safeParse(resolved.name).success, BREAKER_NAME_RULE);
  check(window.type === 'count' ? Number.isInteger(window.size) && window.size > 0 : Number.isInteger(window.seconds) && window.seconds > 0, 'window size must be a positive integer');
  check(resolved.failureRateThreshold > 0 && resolved.failureRateThreshold <= 100, 'failureRateThreshold must be in (0, 100]');
  check(resolved.slowCallThreshold >= 0, 'slowCallThreshold must be ≥ 0');
  check(resolved.slowCallRateThreshold === null || (resolved.slowCallRateThreshold > 0 && resolved.slowCallRateThreshold <= 100), 'slowCallRateThreshold must be in (0, 100]');
  check(Number.isInteger(resolved.minimumCalls) && resolved.minimumCalls >= 1, 'minimumCalls must be a positive integer');
  check(resolved.minimumCalls <= windowCapacity, 'minimumCalls can not exceed the count window size (the breaker could never trip)');
  check(resolved.openTimeout >= 0, 'openTimeout must be ≥ 0');
  check(
    resolved.openTimeoutBackoff === null || (resolved.openTimeoutBackoff.multiplier >= 1 && resolved.openTimeoutBackoff.maxMs >= resolved.openTimeout),
    'openTimeoutBackoff needs multiplier ≥ 1 and maxMs ≥ openTimeout',
  );
  check(Number.isInteger(resolved.halfOpenMaxCalls) && resolved.halfOpenMaxCalls >= 1, 'halfOpenMaxCalls must be a positive integer');
  check(resolved.timeout === null || resolved.timeout > 0, 'timeout must be > 0');
  return resolved;
}

/** The configuration as the panel shows it. */
export function describeOptions<TFallback>(options: ResolvedOptions<TFallback>): TBreakerConfig {
  return {
    implementation: 'breaker-panel',
    window: options.window,
    failureRateThreshold: options.failureRateThreshold,
    slowCallThresholdMs: Number.isFinite(options.slowCallThreshold) ? options.slowCallThreshold : null,
    slowCallRateThreshold: options.slowCallRateThreshold,
    minimumCalls: options.minimumCalls,
    openTimeoutMs: options.openTimeout,
    openTimeoutBackoff: options.openTimeoutBackoff,
    halfOpenMaxCalls: options.halfOpenMaxCalls,
    callTimeoutMs: options.timeout,
    hasFallback: options.fallback !== null,
  };
}
