import { MAX_BREAKERS_PER_REPORT, type TReport } from '../../lib/protocol/breaker-report.js';
import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';
import { isStorableText, MAX_EPOCH_MS } from '../../lib/protocol/storable.js';
import { PROTOCOL_VERSION } from '../../lib/protocol/version.js';

/*
 * A fast structural check of `report:send` payloads, beside the zod schema
 * (lib/protocol/breaker-report.ts) that stays the contract: zod takes about
 * 5 µs per breaker, a third of the panel's time under a large fleet.
 *
 * It is one-sided on purpose. It answers true only for a payload that ZReport
 * accepts *and* would return unchanged: every object has exactly the schema's
 * keys (zod strips unknown ones), every value is in range. Anything else, and
 * anything it is unsure of (short strings, whose length zod counts in code
 * points), answers false, and the caller asks zod, which gives the verdict and
 * the error message. So an accepted payload and every error stay exactly what
 * the schema defines; tests/unit/ingest/report-shape.test.ts holds it to that.
 */

type Fields = Record<string, unknown>;

const BREAKER_STATES = new Set(['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'FORCED_CLOSED']);
const AUTOMATIC_STATES = new Set(['CLOSED', 'OPEN', 'HALF_OPEN']);
const OVERRIDE_STATES = new Set(['FORCED_OPEN', 'FORCED_CLOSED']);

const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Enumerable keys, counted without building an array; with the named keys
 * checked present, equal counts mean no extra key. Inherited keys (none on
 * parsed JSON) would only raise the count, and so send the payload to zod.
 */
function keyCount(value: Fields): number {
  let keys = 0;
  for (const _ in value) keys += 1;
  return keys;
}

/** A whole number zod's `.int().nonnegative()` accepts (safe integers only). */
const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

const isFiniteBetween = (value: unknown, min: number, max: number): boolean => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;

/**
 * A string within [min, max] whatever zod counts: its UTF-16 length is at
 * least its code point length and at most twice it. Shorter strings are left
 * to zod, and so is text Postgres cannot store (ZText refuses it).
 */
const isString = (value: unknown, min: number, max: number): boolean => typeof value === 'string' && value.length >= 2 * min && value.length <= max && isStorableText(value);

const isName = (value: unknown): boolean => isString(value, 1, 200);

function isCounters(value: unknown): boolean {
  return (
    isRecord(value) &&
    keyCount(value) === 6 &&
    isCount(value.success) &&
    isCount(value.failure) &&
    isCount(value.timeout) &&
    isCount(value.rejected) &&
    isCount(value.slow) &&
    isCount(value.fallback)
  );
}

function isLatency(value: unknown): boolean {
  if (!isRecord(value) || keyCount(value) !== 2 || !isFiniteBetween(value.sumMs, 0, Infinity)) return false;
  const counts = value.counts;
  if (!Array.isArray(counts) || counts.length > LATENCY_BUCKET_COUNT) return false;
  for (let i = 0; i < counts.length; i++) if (!isCount(counts[i])) return false;
  return true;
}

function isWindow(value: unknown): boolean {
  return isRecord(value) && keyCount(value) === 3 && isCount(value.calls) && isFiniteBetween(value.failureRate, 0, 100) && isFiniteBetween(value.slowCallRate, 0, 100);
}

function isOverride(value: unknown): boolean {
  if (value === null) return true;
  return (
    isRecord(value) &&
    keyCount(value) === 3 &&
    typeof value.state === 'string' &&
    OVERRIDE_STATES.has(value.state) &&
    (value.expiresAt === null || isFiniteBetween(value.expiresAt, 0, MAX_EPOCH_MS)) &&
    (value.commandId === null || (typeof value.commandId === 'string' && isStorableText(value.commandId)))
  );
}

function isBreaker(value: unknown): boolean {
  return (
    isRecord(value) &&
    keyCount(value) === 7 &&
    isName(value.name) &&
    typeof value.state === 'string' &&
    BREAKER_STATES.has(value.state) &&
    typeof value.wouldBe === 'string' &&
    AUTOMATIC_STATES.has(value.wouldBe) &&
    isOverride(value.override) &&
    isCounters(value.counters) &&
    isLatency(value.latency) &&
    isWindow(value.window)
  );
}

/** True only if ZReport accepts the payload and would return it unchanged; false means "ask zod". */
export function isPlainReport(payload: unknown): payload is TReport {
  if (!isRecord(payload) || keyCount(payload) !== 8) return false;
  if (payload.protocolVersion !== PROTOCOL_VERSION || !isName(payload.service) || !isName(payload.instanceId) || !isString(payload.runId, 8, 100)) return false;
  if (!Number.isSafeInteger(payload.sequence) || (payload.sequence as number) <= 0) return false;
  if (!isFiniteBetween(payload.sentAt, 0, MAX_EPOCH_MS) || !isCount(payload.droppedTransitions)) return false;
  const breakers = payload.breakers;
  if (!Array.isArray(breakers) || breakers.length > MAX_BREAKERS_PER_REPORT) return false;
  for (let i = 0; i < breakers.length; i++) if (!isBreaker(breakers[i])) return false;
  return true;
}
