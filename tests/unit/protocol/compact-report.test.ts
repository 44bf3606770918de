import { describe, expect, it } from 'vitest';
import { ZCompactReport, type TCompactReport } from '../../../lib/protocol/compact-report.js';
import { instanceRun } from '../../fixtures/protocol-messages';

function twoBreakers(): TCompactReport & Record<string, unknown> {
  const run = instanceRun('checkout');
  return run.compact([run.breaker('payments', { success: 4, failure: 1 }, 'OPEN', [0, 3, 2]), run.breaker('inventory', { success: 9 }, 'CLOSED', [9])]);
}

/** The first issue's path and message, as a reporter hears it. */
function firstIssue(payload: unknown) {
  const parsed = ZCompactReport.safeParse(payload);
  if (parsed.success) return null;
  return { path: parsed.error.issues[0]!.path, message: parsed.error.issues[0]!.message };
}

describe('ZCompactReport', () => {
  it('accepts a report of every registered breaker and fills in no held overrides', () => {
    const parsed = ZCompactReport.parse(JSON.parse(JSON.stringify(twoBreakers())));
    expect(parsed.state).toEqual([1, 0]);
    expect(parsed.counters).toEqual([4, 1, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
    expect(parsed.latency).toEqual([[0, 3, 2], [9]]);
    expect(parsed.heldOverrides).toEqual([]);
  });

  it.each([
    ['counters', (report: TCompactReport) => ({ ...report, counters: report.counters.map((value, index) => (index === 7 ? 1.5 : value)) }), ['counters', 7], 'a whole number ≥ 0'],
    ['counters', (report: TCompactReport) => ({ ...report, counters: report.counters.map((value, index) => (index === 3 ? '3' : value)) }), ['counters', 3], 'a whole number ≥ 0'],
    ['windowCalls', (report: TCompactReport) => ({ ...report, windowCalls: [0, -1] }), ['windowCalls', 1], 'a whole number ≥ 0'],
    ['failureRate', (report: TCompactReport) => ({ ...report, failureRate: [101, 0] }), ['failureRate', 0], 'from 0 to 100'],
    ['slowCallRate', (report: TCompactReport) => ({ ...report, slowCallRate: [0, Number.NaN] }), ['slowCallRate', 1], 'from 0 to 100'],
    ['state', (report: TCompactReport) => ({ ...report, state: [0, 7] }), ['state', 1], 'from 0 to 4'],
    ['wouldBe', (report: TCompactReport) => ({ ...report, wouldBe: [3, 0] }), ['wouldBe', 0], 'from 0 to 2'],
    [
      'latency',
      (report: TCompactReport) => ({
        ...report,
        latency: [
          [0, 3, 2],
          [9, -2],
        ],
      }),
      ['latency', 1, 1],
      'a whole number ≥ 0',
    ],
    ['latency', (report: TCompactReport) => ({ ...report, latency: [[0, 3, 2], 9] }), ['latency', 1], 'expected an array'],
  ])('names the entry of %s that is wrong', (_field, edit, path, message) => {
    const issue = firstIssue(JSON.parse(JSON.stringify(edit(twoBreakers()))));
    expect(issue?.path).toEqual(path);
    expect(issue?.message).toContain(message);
  });

  it('names a field that is missing or not an array', () => {
    const { windowCalls: _left, ...missing } = twoBreakers();
    expect(firstIssue(missing)).toEqual({ path: ['windowCalls'], message: 'expected an array' });
    expect(firstIssue({ ...twoBreakers(), counters: { 0: 4 } })).toEqual({ path: ['counters'], message: 'expected an array' });
  });

  it('names a column whose length does not match the breakers, and a held override of no breaker', () => {
    expect(firstIssue({ ...twoBreakers(), wouldBe: [0] })).toEqual({ path: ['wouldBe'], message: 'expected 2 entries for 2 breakers, got 1' });
    expect(firstIssue({ ...twoBreakers(), counters: [1, 2, 3] })).toEqual({ path: ['counters'], message: 'expected 12 entries for 2 breakers, got 3' });
    expect(firstIssue({ ...twoBreakers(), heldOverrides: [{ breaker: 2, commandId: 'c-1' }] })).toEqual({ path: ['heldOverrides', 0, 'breaker'], message: 'no breaker at index 2' });
  });

  it('refuses more breakers than a report may carry', () => {
    const many = Array.from({ length: 10_001 }, () => 0);
    expect(firstIssue({ ...twoBreakers(), state: many })?.message).toMatch(/at most/);
  });
});
