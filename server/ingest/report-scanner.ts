import { MAX_BREAKERS_PER_REPORT } from '../../lib/protocol/breaker-report.js';
import { ZAutomaticState, ZBreakerState } from '../../lib/protocol/breaker-state.js';
import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';
import { isStorableText, MAX_EPOCH_MS } from '../../lib/protocol/storable.js';
import { PROTOCOL_VERSION } from '../../lib/protocol/version.js';
import { BREAKER_FIELDS, PACKED, type PackedReport } from './packed-report';

/*
 * Reads a `report:send` packet's JSON straight into a PackedReport, without
 * JSON.parse: no object per breaker, counter or histogram, so nothing for the
 * garbage collector but the packed buffers, in about half of JSON.parse's
 * time (docs/performance.md).
 *
 * It is one-sided, like isPlainReport (report-shape.ts): it reads only the
 * JSON that reporters' JSON.stringify writes for a plain report (the
 * schema's keys in the schema's order, no whitespace, no escapes, whole
 * numbers of up to 15 digits where the schema wants integers) and answers
 * null for anything else. The caller then decodes the packet the general way
 * (JSON.parse, isPlainReport, zod), which gives the verdict and words the
 * error. So what it returns is exactly what decodeReport(JSON.parse(…))
 * would; the unit tests hold it to that over many edited packets.
 *
 * Regular expressions check the form, a breaker at a time (compiled to
 * native code, they run several times faster than a loop over the
 * characters in JavaScript); the values are then read at the places the
 * form fixes. Numbers are read from the packet's bytes where the caller has
 * them (the WebSocket frame, server/ingest/report-frame.ts): a load from a
 * byte array is several times cheaper than `charCodeAt` on a string, and
 * reading digits was most of the scanner's time.
 */

// Keys and punctuation between values, in the order reporters write them.
const REPORT_START = `{"protocolVersion":${PROTOCOL_VERSION},"service":`;
const INSTANCE_ID = ',"instanceId":';
const RUN_ID = ',"runId":';
const SEQUENCE = ',"sequence":';
const SENT_AT = ',"sentAt":';
const DROPPED = ',"droppedTransitions":';
const BREAKERS = ',"breakers":[';
const NAME = '{"name":';
const STATE = ',"state":';
const WOULD_BE = ',"wouldBe":';
const OVERRIDE = ',"override":';
const OVERRIDE_STATE = '{"state":';
const EXPIRES_AT = ',"expiresAt":';
const COMMAND_ID = ',"commandId":';
const COUNTER_KEYS = [',"counters":{"success":', ',"failure":', ',"timeout":', ',"rejected":', ',"slow":', ',"fallback":'] as const;
const COUNTS = '},"latency":{"counts":[';
const SUM_MS = ',"sumMs":';
const CALLS = '},"window":{"calls":';
const FAILURE_RATE = ',"failureRate":';
const SLOW_CALL_RATE = ',"slowCallRate":';
const BREAKER_END = '}}';
const REPORT_END = '}]';

const STATES = ZBreakerState.options;
const FORCED_STATES = STATES.filter((state) => state.startsWith('FORCED_'));

const literal = (text: string) => text.replace(/[{}[\]]/g, '\\$&');
const oneOf = (words: readonly string[]) => `"(?:${words.join('|')})"`;
// No escape, no control character; counted in UTF-16 units, as isPlainReport counts them.
const string = (min: number, max: number | '' = '') => String.raw`"[^"\\\x00-\x1f]{${min},${max}}"`;
const COUNT = String.raw`(?:0|[1-9]\d{0,14})`;
// Non-negative numbers (times, sums, rates); a minus sign, even on -0, is left to the general path.
const UNSIGNED = String.raw`(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const BREAKER = [
  literal(NAME), string(2, 200),
  literal(STATE), oneOf(STATES),
  literal(WOULD_BE), oneOf(ZAutomaticState.options),
  literal(OVERRIDE), `(?:null|${literal(OVERRIDE_STATE)}${oneOf(FORCED_STATES)}${literal(EXPIRES_AT)}(?:null|-?${UNSIGNED})${literal(COMMAND_ID)}(?:null|${string(0)})\\})`,
  ...COUNTER_KEYS.map((key) => literal(key) + COUNT),
  literal(COUNTS), `(?:${COUNT}(?:,${COUNT}){0,${LATENCY_BUCKET_COUNT - 1}})?\\]`,
  literal(SUM_MS), UNSIGNED,
  literal(CALLS), COUNT,
  literal(FAILURE_RATE), UNSIGNED,
  literal(SLOW_CALL_RATE), UNSIGNED,
  literal(BREAKER_END),
].join('');
// One expression per breaker, not one for the whole list: a repeated group keeps backtracking state per
// repetition, and 10,000 breakers (the schema's limit) overflowed the expression engine's stack.
const PLAIN_BREAKER = new RegExp(BREAKER, 'y');
const PLAIN_HEADER = new RegExp(
  [
    literal(REPORT_START), string(2, 200),
    literal(INSTANCE_ID), string(2, 200),
    literal(RUN_ID), string(16, 100),
    literal(SEQUENCE), String.raw`[1-9]\d{0,14}`,
    literal(SENT_AT), UNSIGNED,
    literal(DROPPED), COUNT,
    literal(BREAKERS),
  ].join(''),
  'y',
);

/** Whether the form `expression` checks starts at `at`. */
function plainAt(expression: RegExp, text: string, at: number): boolean {
  expression.lastIndex = at;
  return expression.test(text);
}

/** What a connection's reports repeat: reused while the next report names the same, so a name costs a comparison, not a string. */
export class RepeatedText {
  service = '';
  instanceId = '';
  runId = '';
  names: readonly string[] = [];
}

/**
 * Reads the values of text whose form PLAIN_HEADER and PLAIN_BREAKER checked:
 * no check of the form is left to do here. `bytes` holds the text one byte
 * per character at the same offsets; only places the form has checked to be
 * ASCII (digits, signs, separators) are read from it.
 */
class Reader {
  /** Set when a string read is text ZText refuses (a lone surrogate): the report then goes the general way, to be refused there. */
  unstorable = false;

  constructor(
    readonly text: string,
    readonly bytes: Uint8Array,
    public at: number,
  ) {}

  skip(literalText: string): void {
    this.at += literalText.length;
  }

  /** Reads `null` if it is next. */
  null(): boolean {
    if (this.text.charCodeAt(this.at) !== 110) return false;
    this.at += 4;
    return true;
  }

  /** A string: `known` when it is the same text, else a copy (a slice would keep the whole packet alive). */
  string(known: string): string {
    const from = this.at + 1;
    const to = this.text.indexOf('"', from);
    this.at = to + 1;
    if (known.length === to - from && this.text.startsWith(known, from)) return known;
    const text = JSON.parse(this.text.slice(from - 1, to + 1)) as string;
    if (!isStorableText(text)) this.unstorable = true;
    return text;
  }

  /** A state, as its index in ZBreakerState.options. */
  state(): number {
    const from = this.at + 1;
    const to = this.text.indexOf('"', from);
    this.at = to + 1;
    for (let code = 0; code < STATES.length; code++) {
      const state = STATES[code]!;
      if (state.length === to - from && this.text.startsWith(state, from)) return code;
    }
    throw new Error('unreachable: the form admits only the known states');
  }

  /** A run of digits (up to 15, so exact). */
  count(): number {
    const bytes = this.bytes;
    let at = this.at;
    let value = 0;
    // Past the end the load is undefined, which ends the loop as a non-digit would.
    for (let code = bytes[at]!; code >= 48 && code <= 57; code = bytes[++at]!) value = value * 10 + (code - 48);
    this.at = at;
    return value;
  }

  /** A number, converted as JSON.parse converts it; NaN when it overflows to ±Infinity (no JSON value does). */
  number(): number {
    const bytes = this.bytes;
    const from = this.at;
    let at = from;
    let code = bytes[at]!;
    if (code === 45) code = bytes[++at]!;
    while (code >= 48 && code <= 57) code = bytes[++at]!;
    // Plain digits, the usual case (times, sums, whole rates), are read like counts, no string made.
    if (code !== 46 && code !== 101 && code !== 69 && at - from <= 15 && bytes[from] !== 45) return this.count();
    while ((code >= 48 && code <= 57) || code === 46 || code === 101 || code === 69 || code === 43 || code === 45) code = bytes[++at]!;
    this.at = at;
    const value = Number(this.text.slice(from, at));
    return Number.isFinite(value) ? value : NaN;
  }
}

/** A time ZEpochMs accepts; NaN (an overflow) is not. */
const inEpochRange = (value: number): boolean => value >= 0 && value <= MAX_EPOCH_MS;

/** Reusable output rows, grown as reports grow, copied out once per report. */
let numbersScratch = new Float64Array(64 * (BREAKER_FIELDS + LATENCY_BUCKET_COUNT));
let statesScratch = new Uint8Array(128);

function reserve(numbersEnd: number, statesEnd: number): void {
  if (numbersEnd > numbersScratch.length) {
    const grown = new Float64Array(Math.max(numbersEnd, 2 * numbersScratch.length));
    grown.set(numbersScratch);
    numbersScratch = grown;
  }
  if (statesEnd > statesScratch.length) {
    const grown = new Uint8Array(Math.max(statesEnd, 2 * statesScratch.length));
    grown.set(statesScratch);
    statesScratch = grown;
  }
}

/** Reads a report whose header PLAIN_HEADER matched; null if the rest is not in the plain form or a value is out of the schema's range. */
function read(reader: Reader, repeated: RepeatedText): PackedReport | null {
  reader.skip(REPORT_START);
  const service = reader.string(repeated.service);
  reader.skip(INSTANCE_ID);
  const instanceId = reader.string(repeated.instanceId);
  reader.skip(RUN_ID);
  const runId = reader.string(repeated.runId);
  reader.skip(SEQUENCE);
  const sequence = reader.count();
  reader.skip(SENT_AT);
  const sentAt = reader.number();
  reader.skip(DROPPED);
  const droppedTransitions = reader.count();
  reader.skip(BREAKERS);
  // NaN (an overflow) fails this too; times past MAX_EPOCH_MS are ZEpochMs's to refuse.
  if (!(sentAt <= MAX_EPOCH_MS)) return null;

  const known = repeated.names;
  // Null while every name so far is the one at the same place in the last report.
  let names: string[] | null = null;
  const heldOverrides: PackedReport['heldOverrides'] = [];
  let count = 0;
  let at = 0;
  const { text, bytes } = reader;
  if (text.charCodeAt(reader.at) === 93) reader.at += 1;
  else {
    for (;;) {
      if (count === MAX_BREAKERS_PER_REPORT || !plainAt(PLAIN_BREAKER, text, reader.at)) return null;
      reserve(at + BREAKER_FIELDS + LATENCY_BUCKET_COUNT, 2 * count + 2);
      const numbers = numbersScratch;
      reader.skip(NAME);
      const name = reader.string(known[count] ?? '');
      if (names === null && name !== known[count]) names = known.slice(0, count);
      if (names !== null) names.push(name);
      reader.skip(STATE);
      statesScratch[2 * count] = reader.state();
      reader.skip(WOULD_BE);
      statesScratch[2 * count + 1] = reader.state();
      reader.skip(OVERRIDE);
      if (!reader.null()) {
        reader.skip(OVERRIDE_STATE);
        reader.state();
        reader.skip(EXPIRES_AT);
        if (!reader.null() && !inEpochRange(reader.number())) return null;
        reader.skip(COMMAND_ID);
        if (!reader.null()) {
          const commandId = reader.string('');
          if (commandId) heldOverrides.push({ breaker: name, commandId });
        }
        reader.at += 1;
      }
      for (let kind = 0; kind < COUNTER_KEYS.length; kind++) {
        reader.skip(COUNTER_KEYS[kind]!);
        numbers[at + kind] = reader.count();
      }
      reader.skip(COUNTS);
      let length = 0;
      if (text.charCodeAt(reader.at) !== 93) {
        do numbers[at + BREAKER_FIELDS + length++] = reader.count();
        while (bytes[reader.at++] === 44);
      } else reader.at += 1;
      reader.skip(SUM_MS);
      if (Number.isNaN(reader.number())) return null;
      reader.skip(CALLS);
      numbers[at + PACKED.windowCalls] = reader.count();
      reader.skip(FAILURE_RATE);
      const failureRate = reader.number();
      reader.skip(SLOW_CALL_RATE);
      const slowCallRate = reader.number();
      // NaN (an overflow) fails these too.
      if (!(failureRate <= 100 && slowCallRate <= 100)) return null;
      numbers[at + PACKED.windowFailureRate] = failureRate;
      numbers[at + PACKED.windowSlowCallRate] = slowCallRate;
      reader.skip(BREAKER_END);
      numbers[at + PACKED.histogramLength] = length;
      at += BREAKER_FIELDS + length;
      count += 1;
      const next = text.charCodeAt(reader.at++);
      if (next === 93) break;
      if (next !== 44) return null;
    }
  }
  if (reader.unstorable) return null;
  // The packet is `["report:send",{…}]`: the report is its last argument.
  if (!text.startsWith(REPORT_END, reader.at) || reader.at + REPORT_END.length !== text.length) return null;

  const reportNames = names ?? (count === known.length ? known : known.slice(0, count));
  repeated.service = service;
  repeated.instanceId = instanceId;
  repeated.runId = runId;
  repeated.names = reportNames;
  return {
    service,
    instanceId,
    runId,
    sequence,
    sentAt,
    droppedTransitions,
    names: reportNames,
    states: statesScratch.slice(0, 2 * count),
    numbers: numbersScratch.slice(0, at),
    heldOverrides,
  };
}

/**
 * The packed report of a `report:send` packet's text whose report starts at
 * `from`, or null when it is not in the plain form (decode it the general way).
 * `bytes`, when the caller has them, are the text's characters one byte each
 * at the same offsets: the packet as received when it is all ASCII.
 */
export function scanReport(text: string, from: number, repeated: RepeatedText, bytes?: Uint8Array): PackedReport | null {
  if (!plainAt(PLAIN_HEADER, text, from)) return null;
  if (bytes && bytes.length !== text.length) throw new RangeError('scanReport: bytes must hold the text one byte per character');
  // Latin-1 keeps offsets (one byte per UTF-16 unit); the places read from the bytes are ASCII, which it keeps exactly.
  return read(new Reader(text, bytes ?? Buffer.from(text, 'latin1'), from), repeated);
}
