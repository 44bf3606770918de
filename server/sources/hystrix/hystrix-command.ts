import { isStorableText } from '../../../lib/protocol/storable.js';

/**
 * One `"type":"HystrixCommand"` object of a Hystrix metrics stream, read
 * leniently (COMPAT.md §5.2, §9.5): values may be numbers, numeric strings,
 * the string "null", or Turbine's value→count tallies such as
 * `{"false":2,"true":1}`; they are coerced, never rejected. Thread-pool and
 * collapser objects share the stream and are not breakers.
 */
export interface HystrixCommand {
  name: string;
  group: string | null;
  /** The service's clock (epoch ms). */
  currentTime: number | null;
  isCircuitBreakerOpen: boolean;
  forceOpen: boolean;
  forceClosed: boolean;
  /** False when the breaker is disabled: calls pass and it never trips. */
  enabled: boolean;
  errorPercentage: number | null;
  requestCount: number | null;
  /** The rolling window's length, needed to sample its counts (COMPAT.md §5.5). */
  rollingWindowMs: number | null;
  rolling: HystrixRollingCounts;
}

/** The rolling-window counts that feed the panel's counters. */
export interface HystrixRollingCounts {
  success: number;
  failure: number;
  timeout: number;
  shortCircuited: number;
  threadPoolRejected: number;
  semaphoreRejected: number;
  fallbackSuccess: number;
}

type Json = Record<string, unknown>;

function number(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && value !== 'null') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

function count(value: unknown): number {
  const parsed = number(value);
  return parsed === null || parsed < 0 ? 0 : Math.floor(parsed);
}

/** A boolean, "true"/"false", or a Turbine tally (true when any host says true). */
function flag(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value !== null && typeof value === 'object') return (number((value as Json).true) ?? 0) > 0;
  return fallback;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === 'null' ? null : trimmed;
}

/** The command in one stream message, or null for anything else (other types, garbage, a command without a name). */
export function readHystrixCommand(data: string): HystrixCommand | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const object = parsed as Json;
  if (object.type !== 'HystrixCommand') return null;
  const name = text(object.name);
  if (name === null || !isStorableText(name)) return null; // a name Postgres cannot store could never be shown
  return {
    name,
    group: text(object.group),
    currentTime: number(object.currentTime),
    isCircuitBreakerOpen: flag(object.isCircuitBreakerOpen, false),
    forceOpen: flag(object.propertyValue_circuitBreakerForceOpen, false),
    forceClosed: flag(object.propertyValue_circuitBreakerForceClosed, false),
    enabled: flag(object.propertyValue_circuitBreakerEnabled, true),
    errorPercentage: number(object.errorPercentage),
    requestCount: number(object.requestCount),
    rollingWindowMs: number(object.propertyValue_metricsRollingStatisticalWindowInMilliseconds),
    rolling: {
      success: count(object.rollingCountSuccess),
      failure: count(object.rollingCountFailure),
      timeout: count(object.rollingCountTimeout),
      shortCircuited: count(object.rollingCountShortCircuited),
      threadPoolRejected: count(object.rollingCountThreadPoolRejected),
      semaphoreRejected: count(object.rollingCountSemaphoreRejected),
      fallbackSuccess: count(object.rollingCountFallbackSuccess),
    },
  };
}
