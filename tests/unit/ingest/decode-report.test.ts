import { describe, expect, it } from 'vitest';
import { ZReport } from '../../../lib/protocol/breaker-report.js';
import { AgentError, invalidPayload } from '../../../server/ingest/agent-error';
import { decodeReport } from '../../../server/ingest/decode-report';
import { BREAKER_FIELDS, PACKED, packReport, stateOfCode } from '../../../server/ingest/packed-report';
import { instanceRun } from '../../fixtures/protocol-messages';

function report() {
  const run = instanceRun('checkout', 'host-1');
  return run.report([
    { ...run.breaker('payments', { success: 10, failure: 2, timeout: 3, rejected: 4, slow: 1, fallback: 5 }, 'OPEN', [0, 3, 9]), window: { calls: 20, failureRate: 12.5, slowCallRate: 5 } },
    { ...run.breaker('ledger', { rejected: 4 }, 'FORCED_OPEN'), wouldBe: 'HALF_OPEN', override: { state: 'FORCED_OPEN', expiresAt: null, commandId: 'c-1' } },
  ]);
}

function thrown(run: () => unknown): AgentError {
  try {
    run();
  } catch (error) {
    if (error instanceof AgentError) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('packReport', () => {
  it('lays every breaker out as its fields and then its histogram, in report order', () => {
    const packed = packReport(report());
    expect(packed.names).toEqual(['payments', 'ledger']);
    expect([...packed.states].map(stateOfCode)).toEqual(['OPEN', 'OPEN', 'FORCED_OPEN', 'HALF_OPEN']);
    const first = packed.numbers.subarray(0, BREAKER_FIELDS + 3);
    expect([...first.subarray(0, 6)]).toEqual([10, 2, 3, 4, 1, 5]);
    expect([first[PACKED.windowCalls], first[PACKED.windowFailureRate], first[PACKED.windowSlowCallRate], first[PACKED.histogramLength]]).toEqual([20, 12.5, 5, 3]);
    expect([...first.subarray(BREAKER_FIELDS)]).toEqual([0, 3, 9]);
    const second = packed.numbers.subarray(BREAKER_FIELDS + 3);
    expect(second.length).toBe(BREAKER_FIELDS);
    expect(second[3]).toBe(4);
    expect(second[PACKED.histogramLength]).toBe(0);
    expect([packed.service, packed.instanceId, packed.sequence]).toEqual(['checkout', 'host-1', 1]);
    // Only the panel's own overrides (with a command id) are carried, for reconciliation.
    expect(packed.heldOverrides).toEqual([{ breaker: 'ledger', commandId: 'c-1' }]);
  });
});

describe('decodeReport', () => {
  it('packs a valid report', () => {
    const valid = report();
    expect(decodeReport(valid)).toEqual(packReport(valid));
  });

  it("gives zod's own error for a payload the fast check leaves to it", () => {
    const bad = { ...report(), sequence: -3 };
    const zod = ZReport.safeParse(bad);
    expect(zod.success).toBe(false);
    expect(thrown(() => decodeReport(bad)).toAck()).toEqual(invalidPayload(zod.error!, 'report:send').toAck());
  });

  it('refuses another protocol version before looking at the rest', () => {
    expect(thrown(() => decodeReport({ protocolVersion: 99 })).code).toBe('unsupported_protocol_version');
  });
});
