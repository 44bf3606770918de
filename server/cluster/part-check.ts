import { ZReporterClientKind } from '../../lib/api/reporter-client.js';
import { ZBreakerState } from '../../lib/protocol/breaker-state.js';
import { COUNT_WIDTH } from '../aggregate/counter-deltas';
import type { TWireEntry } from './part-wire';

/*
 * The check of each part of a batch (TWirePart), by hand rather than by a zod
 * schema: a server reads a few thousand parts a second, and a zod schema per
 * part took 12.7–13.7 µs of the 31–35 µs of reading one, this check
 * 0.6–0.7 µs (`npm run bench:parts`; docs/performance.md, "The exchange of
 * parts"). Only panel servers write batches; what this catches is a server
 * of another version mid-upgrade, or a bug. The batch's configs are checked
 * by its zod schema (part-wire.ts ZPartBatch).
 */

const STATES: ReadonlySet<unknown> = new Set(ZBreakerState.options);
const KINDS: ReadonlySet<unknown> = new Set(ZReporterClientKind.options);
const TRANSPORTS: ReadonlySet<unknown> = new Set(['socket', 'http', null]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isTime = (value: unknown) => value === null || typeof value === 'number';
const isState = (value: unknown) => STATES.has(value);
const isStateOrNull = (value: unknown) => value === null || STATES.has(value);
const isStrings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** A packed window (part-encoder.ts packWindow): start, width, then counts where -k stands for k zeros, within the width. */
function isWindow(value: unknown): boolean {
  if (!Array.isArray(value) || value.length < 2 || typeof value[0] !== 'number') return false;
  const width: unknown = value[1];
  if (!isCount(width) || (width as number) > COUNT_WIDTH) return false;
  let at = 0;
  for (let i = 2; i < value.length; i++) {
    const entry: unknown = value[i];
    if (!Number.isSafeInteger(entry)) return false;
    at += (entry as number) < 0 ? -(entry as number) : 1;
  }
  return at <= (width as number);
}

function isPartial(value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 10) return false;
  const byState: unknown = value[0];
  if (!Array.isArray(byState) || byState.length !== ZBreakerState.options.length || !byState.every(isCount)) return false;
  return (
    isStateOrNull(value[1]) &&
    isCount(value[2]) &&
    isCount(value[3]) &&
    isStateOrNull(value[4]) &&
    isTime(value[5]) &&
    isTime(value[6]) &&
    isWindow(value[7]) &&
    Array.isArray(value[8]) &&
    value[8].every((kind) => KINDS.has(kind)) &&
    isCount(value[9])
  );
}

function isLabels(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  return true;
}

function isSetting(value: unknown, configs: number): boolean {
  if (!Array.isArray(value) || value.length !== 7) return false;
  const config: unknown = value[2];
  return (
    typeof value[0] === 'string' &&
    isLabels(value[1]) &&
    (config === null || (isCount(config) && (config as number) < configs)) &&
    KINDS.has(value[3]) &&
    (value[4] === null || typeof value[4] === 'string') &&
    TRANSPORTS.has(value[5]) &&
    typeof value[6] === 'boolean'
  );
}

/** A row (TWireRow), or a report alone (TWireReport: the id, then four numbers or nulls). */
function isRow(value: unknown, configs: number): boolean {
  if (!Array.isArray(value) || typeof value[0] !== 'string') return false;
  if (value.length === 5) return isTime(value[1]) && isTime(value[2]) && isTime(value[3]) && isTime(value[4]);
  if (value.length !== 9 && value.length !== 10) return false;
  for (let i = 4; i < 9; i++) if (!isTime(value[i])) return false;
  return isState(value[1]) && isStateOrNull(value[2]) && typeof value[3] === 'boolean' && (value.length === 9 || isSetting(value[9], configs));
}

/** The entry of a batch as its type says, or what is wrong with it; `configs`: how many configs the batch has. */
export function checkEntry(value: unknown, configs: number): TWireEntry | string {
  if (!Array.isArray(value) || typeof value[0] !== 'string' || !UUID.test(value[0])) return 'not a part with a breaker id';
  if (value.length === 1) return value as TWireEntry;
  if (value.length !== 6) return 'not a part';
  const [, demo, partial, rows, held, head] = value as unknown[];
  if (typeof demo !== 'boolean') return 'demo is not a boolean';
  if (!isPartial(partial)) return 'not a partial';
  if (!Array.isArray(rows) || !rows.every((row) => isRow(row, configs))) return 'not instance rows';
  if (held !== null && !isStrings(held)) return 'held is not instance ids';
  if (head !== null && !(Array.isArray(head) && head.length === 2 && isStrings(head))) return 'head is not two names';
  return value as TWireEntry;
}
