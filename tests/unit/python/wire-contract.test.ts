import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ZReportBatch, type TReportBatch } from '../../../lib/protocol/report-batch.js';
import type { TReport } from '../../../lib/protocol/breaker-report.js';

const run = promisify(execFile);
const SCRIPT = path.resolve(import.meta.dirname, '../../../clients/python/tests/dump_batches.py');

/**
 * The Python client's batches, as its reporter really posts them, against the
 * normative zod schemas: what the Python unit tests can only check by field
 * names is checked here by the schemas the server validates with.
 */
describe('the Python client on the wire', () => {
  it('posts batches that ZReportBatch accepts, for every state, override and command outcome', async () => {
    const { stdout } = await run('python3', [SCRIPT], { timeout: 60_000 });
    const batches = JSON.parse(stdout) as TReportBatch[];
    for (const [index, batch] of batches.entries()) {
      const parsed = ZReportBatch.safeParse(batch);
      expect(parsed.success ? null : { index, issues: parsed.error.issues }).toBeNull();
    }
    const reports: TReport[] = batches.flatMap((batch) => batch.reports ?? []);
    const transitions = batches.flatMap((batch) => batch.transitions ?? []);
    const acks = batches.flatMap((batch) => batch.commandAcks ?? []);
    expect(batches[0]!.register?.breakers.map((breaker) => [breaker.name, breaker.config.implementation])).toEqual([
      ['payments', 'breaker-panel'],
      ['search', 'breaker-panel'],
      ['stock', 'pybreaker'],
    ]);
    expect(transitions.map((transition) => `${transition.breaker}:${transition.to}:${transition.cause}`)).toEqual([
      'payments:OPEN:failure_rate',
      'payments:HALF_OPEN:open_timeout_elapsed',
      'payments:CLOSED:trials_succeeded',
      'payments:FORCED_CLOSED:manual',
      'search:FORCED_OPEN:manual',
      'payments:FORCED_OPEN:command',
      'stock:FORCED_OPEN:command',
    ]);
    expect(acks.map((ack) => `${ack.commandId}:${ack.status}:${ack.reason}:${ack.duplicate}`)).toEqual([
      'cmd-1:applied:null:false',
      'cmd-2:failed:unknown_breaker:false',
      'cmd-3:failed:out_of_scope:false',
      'cmd-4:applied:null:false',
      'cmd-1:applied:null:true',
    ]);
    const last = reports.at(-1)!;
    expect(last.breakers.map((breaker) => [breaker.name, breaker.state, breaker.wouldBe, breaker.override?.commandId ?? null])).toEqual([
      ['payments', 'FORCED_OPEN', 'CLOSED', 'cmd-1'],
      ['search', 'FORCED_OPEN', 'CLOSED', null],
      ['stock', 'FORCED_OPEN', 'CLOSED', 'cmd-4'],
    ]);
    expect(last.breakers[0]!.counters).toEqual({ success: 1, failure: 2, timeout: 0, rejected: 1, slow: 2, fallback: 3 });
    expect(last.breakers[2]!.counters.rejected).toBe(1);
    expect(reports.map((report) => report.sequence)).toEqual(reports.map((_, index) => index + 1));
  });
});
