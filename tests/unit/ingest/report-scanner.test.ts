import { describe, expect, it } from 'vitest';
import type { TReport } from '../../../lib/protocol/breaker-report.js';
import { decodeReport } from '../../../server/ingest/decode-report';
import type { PackedReport } from '../../../server/ingest/packed-report';
import { RepeatedText, scanReport } from '../../../server/ingest/report-scanner';
import { createCircuitBreaker } from '../../../sdk/src/index';
import { instanceRun } from '../../fixtures/protocol-messages';

const PREFIX = '2/agent,12["report:send",';

/** A report's packet as a reporter's Socket.IO client writes it. */
const packetOf = (report: unknown) => `${PREFIX}${JSON.stringify(report)}]`;

/**
 * Scans a packet as the decoder does: from its text alone, and (when it is
 * all ASCII, as a frame's bytes then are) with the frame's bytes too. The
 * two must read the same.
 */
function scan(packet: string, repeated = new RepeatedText()): PackedReport | null {
  const fromText = scanReport(packet, PREFIX.length, repeated);
  const frame = Buffer.from(packet);
  if (frame.length === packet.length) expect(scanReport(packet, PREFIX.length, new RepeatedText(), frame)).toStrictEqual(fromText);
  return fromText;
}

/** What the general path makes of a packet: the packed report, or 'refused'. */
function decodedTheGeneralWay(packet: string): PackedReport | 'refused' {
  try {
    const args: unknown = JSON.parse(packet.slice(PREFIX.length - '["report:send",'.length));
    if (!Array.isArray(args) || args.length !== 2 || args[0] !== 'report:send') return 'refused';
    return decodeReport(args[1]);
  } catch {
    return 'refused';
  }
}

/** The one-sided promise: whatever the scanner reads is what the general path gives. */
function expectAgreement(packet: string): boolean {
  const scanned = scan(packet);
  if (scanned === null) return false;
  expect(decodedTheGeneralWay(packet), packet).toStrictEqual(scanned);
  return true;
}

/** Reports built by the SDK's own breakers, the way its reporter sends them. */
async function sdkReport(): Promise<TReport> {
  const run = instanceRun('checkout', 'host-1');
  const payments = createCircuitBreaker({ name: 'payments' });
  const ledger = createCircuitBreaker({ name: 'ledger-ünïcode ✓' });
  await payments.execute(async () => 1);
  await payments.execute(() => Promise.reject(new Error('down'))).catch(() => {});
  ledger.forceOpen({ commandId: 'cmd-1', expiresAt: Date.now() + 60_000 });
  return run.report([payments.stats(), ledger.stats()]);
}

function validReport(): TReport {
  const run = instanceRun('checkout', 'host-1');
  return run.report([
    { ...run.breaker('payments', { success: 10, failure: 2, timeout: 3, rejected: 4, slow: 1, fallback: 5 }, 'OPEN', [0, 3, 9]), window: { calls: 20, failureRate: 12.5, slowCallRate: 5 } },
    { ...run.breaker('ledger', { rejected: 4 }, 'FORCED_OPEN'), wouldBe: 'HALF_OPEN', override: { state: 'FORCED_OPEN', expiresAt: null, commandId: 'c-1' } },
    { ...run.breaker('search', {}, 'FORCED_CLOSED'), override: { state: 'FORCED_CLOSED', expiresAt: 1.5e12, commandId: null } },
  ]);
}

describe('scanReport', () => {
  it('reads what the SDK sends exactly as the general path decodes it', async () => {
    const packet = packetOf(await sdkReport());
    expect(expectAgreement(packet)).toBe(true);
    expect(scan(packet)!.heldOverrides).toEqual([{ breaker: 'ledger-ünïcode ✓', commandId: 'cmd-1' }]);
  });

  it.each<[string, (report: TReport) => void]>([
    ['overrides of every form', () => {}],
    ['no breakers', (r) => (r.breakers = [])],
    ['an empty histogram', (r) => (r.breakers[0]!.latency.counts = [])],
    ['a full histogram', (r) => (r.breakers[0]!.latency.counts = new Array<number>(66).fill(7))],
    ['fractional and exponent rates and sums', (r) => Object.assign(r.breakers[0]!.window, { failureRate: 33.333333333333336, slowCallRate: 1e-7 })],
    ['a fractional send time', (r) => (r.sentAt = 1_700_000_000_000.25)],
    ['15-digit counters', (r) => (r.breakers[0]!.counters.success = 999_999_999_999_999)],
  ])('reads %s', (_, change) => {
    const report = validReport();
    change(report);
    expect(expectAgreement(packetOf(report))).toBe(true);
  });

  it.each<[string, (packet: string) => string]>([
    ['whitespace', (p) => p.replace('"sequence":', '"sequence": ')],
    ['keys in another order', (p) => p.replace('"state":"OPEN","wouldBe":"OPEN"', '"wouldBe":"OPEN","state":"OPEN"')],
    ['an escape in a name', (p) => p.replace('"payments"', '"pay\\u006dents"')],
    ['a counter written as 1.0', (p) => p.replace('"success":10', '"success":10.0')],
    ['a counter of 16 digits', (p) => p.replace('"success":10', '"success":1000000000000000')],
    ['a negative counter', (p) => p.replace('"success":10', '"success":-10')],
    ['a leading zero', (p) => p.replace('"success":10', '"success":010')],
    ['a rate over 100', (p) => p.replace('"failureRate":12.5', '"failureRate":100.5')],
    ['an unknown key', (p) => p.replace('"sequence":', '"extra":1,"sequence":')],
    ['another protocol version', (p) => p.replace('"protocolVersion":1', '"protocolVersion":2')],
    ['a second argument', (p) => `${p.slice(0, -1)},1]`],
    ['text after the packet', (p) => `${p} `],
    ['a cut packet', (p) => p.slice(0, -3)],
    ['a one-character name (zod counts code points)', (p) => p.replace('"payments"', '"x"')],
    ['a lone surrogate in a name', (p) => p.replace('"payments"', '"payments\uD800"')],
    ['a send time past the year 2200', (p) => p.replace(/"sentAt":\d+/, '"sentAt":1e300')],
    ['a send time that overflows', (p) => p.replace(/"sentAt":\d+/, '"sentAt":1e999')],
    ['a negative expiry', (p) => p.replace('"expiresAt":null', '"expiresAt":-5')],
  ])('leaves %s to the general path', (_, mutate) => {
    const packet = mutate(packetOf(validReport()));
    expect(scan(packet)).toBeNull();
    expectAgreement(packet);
  });

  it('never reads a packet differently from the general path, over many random edits', () => {
    const base = packetOf(validReport());
    const pieces = ['', ' ', '"', '\\', ',', ':', '{', '}', '[', ']', '0', '1', '-', '.', 'e', '9', 'null', '100', '1e3', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'x'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    let read = 0;
    for (let round = 0; round < 5_000; round++) {
      let packet = base;
      for (let edits = 1 + random(2); edits > 0; edits--) {
        const at = PREFIX.length + random(packet.length - PREFIX.length);
        packet = packet.slice(0, at) + pieces[random(pieces.length)]! + packet.slice(at + random(3));
      }
      if (expectAgreement(packet)) read += 1;
    }
    // Edits inside numbers and names often leave a plain report: the scanner reads those itself.
    expect(read).toBeGreaterThan(100);
  });

  it("reads a report of 10,000 breakers, the schema's limit, and leaves one more to the general path", () => {
    const run = instanceRun('checkout', 'host-1');
    const breakers = Array.from({ length: 10_001 }, (_, b) => run.breaker(`dependency-${b}`, { success: b }, 'CLOSED', [b, 1]));
    const atLimit = packetOf(run.report(breakers.slice(0, 10_000)));
    expect(expectAgreement(atLimit)).toBe(true);
    const overLimit = packetOf(run.report(breakers));
    expect(scan(overLimit)).toBeNull();
    expect(decodedTheGeneralWay(overLimit)).toBe('refused');
  });

  it('reads numbers from the bytes it is given, which must match the text one to one', () => {
    const packet = packetOf(validReport());
    // Same form, other digits: the numbers come from the bytes.
    const frame = Buffer.from(packet.replace('"success":10,', '"success":97,'));
    expect(scanReport(packet, PREFIX.length, new RepeatedText(), frame)!.numbers[0]).toBe(97);
    expect(() => scanReport(packet, PREFIX.length, new RepeatedText(), frame.subarray(1))).toThrow(RangeError);
  });

  it("reuses the last report's names while a connection repeats them", () => {
    const repeated = new RepeatedText();
    const report = validReport();
    const first = scan(packetOf(report), repeated)!;
    report.sequence += 1;
    const second = scan(packetOf(report), repeated)!;
    expect(second.names).toBe(first.names);
    expect(second.instanceId).toBe(first.instanceId);
    report.breakers[1]!.name = 'ledger-v2';
    const renamed = scan(packetOf(report), repeated)!;
    expect(renamed.names).toEqual(['payments', 'ledger-v2', 'search']);
    expect(renamed.names[0]).toBe(first.names[0]);
    report.breakers.pop();
    expect(scan(packetOf(report), repeated)!.names).toEqual(['payments', 'ledger-v2']);
  });
});
