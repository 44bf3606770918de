import { describe, expect, it } from 'vitest';
import { ZReport, type TReport } from '../../../lib/protocol/breaker-report.js';
import { isPlainReport } from '../../../server/ingest/report-shape';
import { instanceRun } from '../../fixtures/protocol-messages';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function validReport(): TReport {
  const run = instanceRun('checkout', 'host-1');
  return run.report([
    run.breaker('payments', { success: 10, failure: 2, slow: 1 }, 'CLOSED', [0, 3, 9]),
    { ...run.breaker('ledger', { rejected: 4 }, 'FORCED_OPEN'), override: { state: 'FORCED_OPEN', expiresAt: null, commandId: 'c-1' } },
  ]);
}

/** The one-sided promise: accepted by the fast check ⇒ accepted by zod, unchanged. */
function expectAgreement(payload: unknown): void {
  if (!isPlainReport(payload)) return;
  const parsed = ZReport.safeParse(payload);
  expect(parsed.success, JSON.stringify(payload)).toBe(true);
  expect(parsed.data).toStrictEqual(payload);
}

const clone = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

describe('isPlainReport', () => {
  it('passes a well-formed report, which zod returns unchanged', () => {
    const report = validReport();
    expect(isPlainReport(report)).toBe(true);
    expectAgreement(report);
  });

  it.each<[string, (report: Record<string, Json>, breaker: Record<string, Json>) => void]>([
    ['an unknown key (zod would strip it)', (r) => (r.extra = 1)],
    ['an unknown key in a breaker', (_, b) => (b.extra = 1)],
    ['a missing override', (_, b) => delete b.override],
    ['another protocol version', (r) => (r.protocolVersion = 2)],
    ['sequence 0', (r) => (r.sequence = 0)],
    ['a fractional counter', (_, b) => ((b.counters as Record<string, Json>).success = 1.5)],
    ['an unsafe integer', (_, b) => ((b.counters as Record<string, Json>).success = 2 ** 53)],
    ['a negative count', (_, b) => ((b.window as Record<string, Json>).calls = -1)],
    ['a rate over 100', (_, b) => ((b.window as Record<string, Json>).failureRate = 101)],
    ['a forced would-be state', (_, b) => (b.wouldBe = 'FORCED_OPEN')],
    ['an unknown state', (_, b) => (b.state = 'AJAR')],
    ['a histogram too long', (_, b) => ((b.latency as Record<string, Json>).counts = new Array<number>(67).fill(0))],
    ['a one-character name (left to zod, which counts code points)', (_, b) => (b.name = 'x')],
    ['a name too long', (_, b) => (b.name = 'x'.repeat(201))],
    ['a short run id', (r) => (r.runId = 'abc')],
    ['breakers not an array', (r) => (r.breakers = {})],
    ['a name with a lone surrogate (Postgres cannot store it)', (_, b) => (b.name = 'payments\uD800')],
    ['a name with a NUL', (_, b) => (b.name = 'pay\u0000ments')],
    ['a service with a lone low surrogate', (r) => (r.service = '\uDC00checkout')],
    ['a command id with a lone surrogate', (_, b) => (b.override = { state: 'FORCED_OPEN', expiresAt: null, commandId: 'c\uD800' })],
    ['a sentAt past the year 2200', (r) => (r.sentAt = 1e300)],
    ['a negative expiresAt', (_, b) => (b.override = { state: 'FORCED_OPEN', expiresAt: -1, commandId: null })],
  ])('leaves %s to zod', (_, mutate) => {
    const report = clone(validReport()) as Record<string, Json>;
    mutate(report, (report.breakers as Array<Record<string, Json>>)[0]!);
    expect(isPlainReport(report)).toBe(false);
  });

  it.each<[string, (report: Record<string, Json>, breaker: Record<string, Json>) => void, Array<string | number>]>([
    ['a lone surrogate in a breaker name', (_, b) => (b.name = 'p\uD800'), ['breakers', 0, 'name']],
    ['a NUL in the instance id', (r) => (r.instanceId = 'host\u00001'), ['instanceId']],
    ['a sentAt of 1e300', (r) => (r.sentAt = 1e300), ['sentAt']],
  ])('zod refuses %s, naming the field', (_, mutate, path) => {
    const report = clone(validReport()) as Record<string, Json>;
    mutate(report, (report.breakers as Array<Record<string, Json>>)[0]!);
    const parsed = ZReport.safeParse(report);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
  });

  it('passes a name with a valid surrogate pair (an emoji)', () => {
    const report = clone(validReport()) as Record<string, Json>;
    (report.breakers as Array<Record<string, Json>>)[0]!.name = 'payments-😀';
    expect(isPlainReport(report)).toBe(true);
    expectAgreement(report);
  });

  it('never passes what zod would refuse or change, over many random mutations', () => {
    const values: Json[] = [null, true, -1, 0, 1, 1.5, 2 ** 53, 100, 101, '', 'x', 'CLOSED', 'OPEN', 'FORCED_OPEN', 'x'.repeat(201), '😀'.repeat(100), {}, []];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 3_000; round++) {
      const report = clone(validReport());
      // Walk to a random object or array inside the report and change, delete or add one entry.
      let target = report as Record<string, Json> | Json[];
      for (let depth = random(4); depth > 0; depth--) {
        const children = Object.values(target).filter((child): child is Record<string, Json> | Json[] => typeof child === 'object' && child !== null);
        if (children.length === 0) break;
        target = children[random(children.length)]!;
      }
      const keys = Object.keys(target);
      const key = random(5) === 0 ? `k${random(3)}` : keys[random(Math.max(1, keys.length))] ?? 'k';
      if (random(6) === 0) delete (target as Record<string, Json>)[key];
      else (target as Record<string, Json>)[key] = values[random(values.length)]!;
      // Payloads arrive as JSON (Socket.IO's parser): a named key on an array, say, cannot.
      expectAgreement(clone(report));
    }
  });
});
