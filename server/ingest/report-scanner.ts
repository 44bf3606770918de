import { ZAutomaticState, ZBreakerState } from '../../lib/protocol/breaker-state.js';
import { LATENCY_BUCKET_COUNT } from '../../lib/protocol/latency-buckets.js';
import { PROTOCOL_VERSION } from '../../lib/protocol/version.js';
import { BREAKER_FIELDS, PACKED, type PackedReport } from './packed-report';

/*
 * Reads a `report:send` packet's JSON straight into a PackedReport, without
 * JSON.parse: no object per breaker, counter or histogram, so nothing for the
 * garbage collector but the packed buffers. It takes a fifth of JSON.parse's
 * time on a 50-breaker report (benchmark in docs/performance.md).
 *
 * It is one-sided, like isPlainReport (report-shape.ts): it reads only the
 * JSON that reporters' JSON.stringify writes for a plain report (the
 * schema's keys in the schema's order, no whitespace, no escapes, integers
 * written as digits) and answers null for anything else, or anything it is
 * unsure of. The caller then decodes the packet the general way (JSON.parse,
 * isPlainReport, zod), which gives the verdict and words the error. So what
 * it returns is exactly what decodeReport(JSON.parse(…)) would; the unit
 * tests hold it to that over many mutated packets.
 */

const STATES = ZBreakerState.options;
const AUTOMATIC = new Set<number>(ZAutomaticState.options.map((state) => STATES.indexOf(state)));
const FORCED = new Set<number>([STATES.indexOf('FORCED_OPEN'), STATES.indexOf('FORCED_CLOSED')]);
const MAX_BREAKERS = 10_000;
// Up to 15 digits a whole number is exact in a double and safe; longer ones are left to the general path.
const MAX_COUNT_DIGITS = 15;

/** What a connection's reports repeat: reused while the next report names the same, so a name costs a comparison, not a string. */
export class RepeatedText {
  service = '';
  instanceId = '';
  runId = '';
  names: string[] = [];
}

/** Thrown inside the scanner when the text is not the plain form; never escapes scanReport. */
const NOT_PLAIN: unique symbol = Symbol('not plain');

function notPlain(): never {
  throw NOT_PLAIN;
}

class Cursor {
  at: number;
  /** The last string read: text[from, to), without its quotes. */
  from = 0;
  to = 0;

  constructor(
    readonly text: string,
    at: number,
  ) {
    this.at = at;
  }

  literal(expected: string): void {
    const text = this.text;
    const at = this.at;
    // A loop of charCodeAt beats startsWith(expected, at) on these short literals (measured: about 3×).
    for (let i = 0; i < expected.length; i++) if (text.charCodeAt(at + i) !== expected.charCodeAt(i)) notPlain();
    this.at = at + expected.length;
  }

  /** Reads `null` if it is next. */
  null(): boolean {
    if (!this.text.startsWith('null', this.at)) return false;
    this.at += 4;
    return true;
  }

  /** A string without escapes or control characters, `min`..`max` UTF-16 units long. */
  string(min: number, max: number): void {
    const text = this.text;
    if (text.charCodeAt(this.at) !== 34) notPlain();
    const from = this.at + 1;
    let at = from;
    for (;;) {
      const code = text.charCodeAt(at);
      if (code === 34) break;
      // A backslash starts an escape, a control character is invalid JSON, NaN is the end of the text.
      if (code === 92 || code < 32 || code !== code) notPlain();
      at += 1;
    }
    const length = at - from;
    if (length < min || length > max) notPlain();
    this.from = from;
    this.to = at;
    this.at = at + 1;
  }

  /** The string just read: `known` when it is the same text, else a copy (a slice would keep the whole packet alive). */
  stringOr(known: string): string {
    const length = this.to - this.from;
    if (known.length === length && this.text.startsWith(known, this.from)) return known;
    return JSON.parse(this.text.slice(this.from - 1, this.to + 1)) as string;
  }

  /** A whole number ≥ 0 written as plain digits. */
  count(): number {
    const text = this.text;
    let at = this.at;
    let code = text.charCodeAt(at);
    if (code === 48) {
      this.at = at + 1;
      return 0;
    }
    if (!(code >= 49 && code <= 57)) notPlain();
    let value = 0;
    const from = at;
    do {
      value = value * 10 + (code - 48);
      at += 1;
      code = text.charCodeAt(at);
    } while (code >= 48 && code <= 57);
    if (at - from > MAX_COUNT_DIGITS) notPlain();
    this.at = at;
    return value;
  }

  /** Any finite JSON number, converted as JSON.parse converts it. */
  number(): number {
    const text = this.text;
    const from = this.at;
    let at = from;
    let code = text.charCodeAt(at);
    if (code === 45) code = text.charCodeAt(++at);
    if (code === 48) code = text.charCodeAt(++at);
    else {
      at = this.digits(at);
      code = text.charCodeAt(at);
    }
    // Plain digits are most numbers reporters send (times, sums, whole rates): read like counts, no string made.
    if (code !== 46 && code !== 101 && code !== 69 && at - from <= MAX_COUNT_DIGITS && text.charCodeAt(from) !== 45) {
      let value = 0;
      for (let i = from; i < at; i++) value = value * 10 + (text.charCodeAt(i) - 48);
      this.at = at;
      return value;
    }
    if (code === 46) at = this.digits(at + 1);
    code = text.charCodeAt(at);
    if (code === 101 || code === 69) {
      code = text.charCodeAt(++at);
      if (code === 43 || code === 45) ++at;
      at = this.digits(at);
    }
    const value = Number(text.slice(from, at));
    if (!Number.isFinite(value)) notPlain();
    this.at = at;
    return value;
  }

  /** Where a run of one or more digits from `at` ends. */
  private digits(at: number): number {
    const text = this.text;
    const start = at;
    let code = text.charCodeAt(at);
    while (code >= 48 && code <= 57) code = text.charCodeAt(++at);
    if (at === start) notPlain();
    return at;
  }

  between(min: number, max: number): number {
    const value = this.number();
    if (!(value >= min && value <= max)) notPlain();
    return value;
  }

  /** One of the breaker states, as its index in ZBreakerState.options. */
  state(): number {
    this.string(4, 13);
    const length = this.to - this.from;
    for (let code = 0; code < STATES.length; code++) {
      const state = STATES[code]!;
      if (state.length === length && this.text.startsWith(state, this.from)) return code;
    }
    return notPlain();
  }

  /** True at the end of a list (and past its `]`), false past a `,` before its next item. */
  endOfList(): boolean {
    const code = this.text.charCodeAt(this.at++);
    if (code === 93) return true;
    if (code !== 44) notPlain();
    return false;
  }
}

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

function scan(cursor: Cursor, repeated: RepeatedText): PackedReport {
  cursor.literal(`{"protocolVersion":${PROTOCOL_VERSION},"service":`);
  cursor.string(2, 200);
  const service = cursor.stringOr(repeated.service);
  cursor.literal(',"instanceId":');
  cursor.string(2, 200);
  const instanceId = cursor.stringOr(repeated.instanceId);
  cursor.literal(',"runId":');
  cursor.string(16, 100);
  const runId = cursor.stringOr(repeated.runId);
  cursor.literal(',"sequence":');
  const sequence = cursor.count();
  if (sequence === 0) notPlain();
  cursor.literal(',"sentAt":');
  const sentAt = cursor.between(0, Infinity);
  cursor.literal(',"droppedTransitions":');
  const droppedTransitions = cursor.count();
  cursor.literal(',"breakers":[');

  const known = repeated.names;
  // Null while every name so far is the one at the same place in the last report.
  let names: string[] | null = null;
  const heldOverrides: PackedReport['heldOverrides'] = [];
  let count = 0;
  let at = 0;
  if (cursor.text.charCodeAt(cursor.at) === 93) cursor.at += 1;
  else {
    do {
      if (count === MAX_BREAKERS) notPlain();
      reserve(at + BREAKER_FIELDS + LATENCY_BUCKET_COUNT, 2 * count + 2);
      const numbers = numbersScratch;
      cursor.literal('{"name":');
      cursor.string(2, 200);
      const name = cursor.stringOr(known[count] ?? '');
      if (names === null && name !== known[count]) names = known.slice(0, count);
      if (names !== null) names.push(name);
      cursor.literal(',"state":');
      statesScratch[2 * count] = cursor.state();
      cursor.literal(',"wouldBe":');
      const wouldBe = cursor.state();
      if (!AUTOMATIC.has(wouldBe)) notPlain();
      statesScratch[2 * count + 1] = wouldBe;
      cursor.literal(',"override":');
      if (!cursor.null()) {
        cursor.literal('{"state":');
        if (!FORCED.has(cursor.state())) notPlain();
        cursor.literal(',"expiresAt":');
        if (!cursor.null()) cursor.number();
        cursor.literal(',"commandId":');
        if (!cursor.null()) {
          cursor.string(0, Infinity);
          const commandId = cursor.stringOr('');
          if (commandId) heldOverrides.push({ breaker: name, commandId });
        }
        cursor.literal('}');
      }
      cursor.literal(',"counters":{"success":');
      numbers[at] = cursor.count();
      cursor.literal(',"failure":');
      numbers[at + 1] = cursor.count();
      cursor.literal(',"timeout":');
      numbers[at + 2] = cursor.count();
      cursor.literal(',"rejected":');
      numbers[at + 3] = cursor.count();
      cursor.literal(',"slow":');
      numbers[at + 4] = cursor.count();
      cursor.literal(',"fallback":');
      numbers[at + 5] = cursor.count();
      cursor.literal('},"latency":{"counts":[');
      let length = 0;
      if (cursor.text.charCodeAt(cursor.at) === 93) cursor.at += 1;
      else {
        do {
          if (length === LATENCY_BUCKET_COUNT) notPlain();
          numbers[at + BREAKER_FIELDS + length] = cursor.count();
          length += 1;
        } while (!cursor.endOfList());
      }
      cursor.literal(',"sumMs":');
      cursor.between(0, Infinity);
      cursor.literal('},"window":{"calls":');
      numbers[at + PACKED.windowCalls] = cursor.count();
      cursor.literal(',"failureRate":');
      numbers[at + PACKED.windowFailureRate] = cursor.between(0, 100);
      cursor.literal(',"slowCallRate":');
      numbers[at + PACKED.windowSlowCallRate] = cursor.between(0, 100);
      cursor.literal('}}');
      numbers[at + PACKED.histogramLength] = length;
      at += BREAKER_FIELDS + length;
      count += 1;
    } while (!cursor.endOfList());
  }
  // The packet is `["report:send",{…}]`: the report is its last argument.
  cursor.literal('}]');
  if (cursor.at !== cursor.text.length) notPlain();

  names ??= count === known.length ? known : known.slice(0, count);
  repeated.service = service;
  repeated.instanceId = instanceId;
  repeated.runId = runId;
  repeated.names = names;
  return {
    service,
    instanceId,
    runId,
    sequence,
    sentAt,
    droppedTransitions,
    names,
    states: statesScratch.slice(0, 2 * count),
    numbers: numbersScratch.slice(0, at),
    heldOverrides,
  };
}

/**
 * The packed report of a `report:send` packet's text whose report starts at
 * `from`, or null when it is not in the plain form (decode it the general way).
 */
export function scanReport(text: string, from: number, repeated: RepeatedText): PackedReport | null {
  try {
    return scan(new Cursor(text, from), repeated);
  } catch (error) {
    if (error === NOT_PLAIN) return null;
    throw error;
  }
}
