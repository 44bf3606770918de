import type { TBreakerState } from '../../../lib/protocol/index.js';

// Brands are registered symbols, so the guards recognise errors thrown by
// another copy of this package (two versions in one node_modules tree), where
// `instanceof` would fail.
const OPEN_BRAND = Symbol.for('@breaker-panel/sdk:BreakerOpenError');
const TIMEOUT_BRAND = Symbol.for('@breaker-panel/sdk:BreakerTimeoutError');

/** Thrown (as a rejection) when a breaker short-circuits a call instead of making it. */
export class BreakerOpenError extends Error {
  /** Brand checked by isBreakerOpenError(). */
  readonly [OPEN_BRAND] = true;
  override readonly name = 'BreakerOpenError';
  /** Stable machine-readable code. */
  readonly code = 'EBREAKEROPEN';

  constructor(
    /** The breaker that rejected the call. */
    readonly breaker: string,
    /** The state it was in (OPEN, HALF_OPEN with no trial slot left, or FORCED_OPEN). */
    readonly state: TBreakerState,
  ) {
    super(`Breaker "${breaker}" is ${state}: call rejected`);
  }
}

/** Thrown (as a rejection) when a call exceeds the breaker's `timeout`; the call's signal is aborted with it. */
export class BreakerTimeoutError extends Error {
  /** Brand checked by isBreakerTimeoutError(). */
  readonly [TIMEOUT_BRAND] = true;
  override readonly name = 'BreakerTimeoutError';
  /** Stable machine-readable code. */
  readonly code = 'EBREAKERTIMEOUT';

  constructor(
    /** The breaker whose timeout elapsed. */
    readonly breaker: string,
    /** The timeout that elapsed (ms). */
    readonly timeoutMs: number,
  ) {
    super(`Breaker "${breaker}" timed out the call after ${timeoutMs} ms`);
  }
}

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** True for a BreakerOpenError from any copy of this package. */
export function isBreakerOpenError(value: unknown): value is BreakerOpenError {
  return hasBrand(value, OPEN_BRAND);
}

/** True for a BreakerTimeoutError from any copy of this package. */
export function isBreakerTimeoutError(value: unknown): value is BreakerTimeoutError {
  return hasBrand(value, TIMEOUT_BRAND);
}
