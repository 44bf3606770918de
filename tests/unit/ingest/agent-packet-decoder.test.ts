import { afterAll, describe, expect, it } from 'vitest';
import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { AgentError } from '../../../server/ingest/agent-error';
import { agentPacketDecoder, DecodedReport } from '../../../server/ingest/agent-packet-decoder';
import { packReport } from '../../../server/ingest/packed-report';
import { agentEventBytes, isTextFrame } from '../../../server/ingest/report-frame';
import { createReportDecoderPool } from '../../../server/ingest/report-decoder-pool';
import { createLogger } from '../../../server/logger';
import type { TReport } from '../../../lib/protocol/breaker-report.js';
import { instanceRun } from '../../fixtures/protocol-messages';

// A real decoder thread: the packets below go through the same worker the server starts.
const pool = createReportDecoderPool({ threads: 1, logger: createLogger('silent') });
afterAll(() => pool.close());

/** Socket.IO's own text encoding of an agent event. */
function encoded(id: number | undefined, data: unknown[]): string {
  const [text] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/agent', id, data } as Packet);
  return text as string;
}

async function decodeAll(texts: Array<string | Buffer>): Promise<Packet[]> {
  const decoder = new (agentPacketDecoder(pool))();
  const packets: Packet[] = [];
  const done = new Promise<void>((resolve) =>
    decoder.on('decoded', (packet: Packet) => {
      packets.push(packet);
      if (packets.length === texts.length) resolve();
    }),
  );
  for (const text of texts) decoder.add(text);
  await done;
  return packets;
}

async function outcomeOf(packet: Packet): Promise<unknown> {
  const payload = (packet.data as unknown[])[1];
  expect(payload).toBeInstanceOf(DecodedReport);
  return Promise.resolve((payload as DecodedReport).outcome).catch((error: unknown) => (error instanceof AgentError ? error.toAck() : error));
}

/** A report whose breakers list their keys in another order than the SDK's: valid, but not the plain form the scanner reads. */
const reordered = (report: TReport): TReport => ({ ...report, breakers: report.breakers.map(({ name, ...rest }) => ({ ...rest, name })) });

const onThread = (packet: Packet) => (packet.data as unknown[])[1] instanceof DecodedReport && ((packet.data as unknown[])[1] as DecodedReport).outcome instanceof Promise;

describe('agentPacketDecoder', () => {
  it('reads plain reports at once, decodes the others on the thread, and keeps every packet of a connection in order', async () => {
    const run = instanceRun('checkout', 'host-1');
    const report = run.report([run.breaker('payments', { success: 4, failure: 1 }, 'OPEN', [0, 2, 3])]);
    const transition = run.transition('payments', 'CLOSED', 'OPEN');
    const packets = await decodeAll([
      encoded(6, ['report:send', reordered(report)]),
      encoded(7, ['report:send', report]),
      encoded(8, ['transition:report', transition]),
      '2/agent,9["report:send",{not json',
      encoded(10, ['report:send', { ...report, sequence: -1 }]),
      encoded(undefined, ['report:send', report, 'extra']),
    ]);
    expect(packets.map((packet) => [packet.id, (packet.data as unknown[])[0]])).toEqual([
      [6, 'report:send'],
      [7, 'report:send'],
      [8, 'transition:report'],
      [9, 'report:send'],
      [10, 'report:send'],
      [undefined, 'report:send'],
    ]);
    expect(packets.map(onThread)).toEqual([true, false, false, true, true, true]);
    expect(await outcomeOf(packets[0]!)).toEqual(packReport(reordered(report)));
    expect(await outcomeOf(packets[1]!)).toEqual(packReport(report));
    // Anything but a report goes through Socket.IO's own decoder, untouched.
    expect(packets[2]!.data).toEqual(['transition:report', transition]);
    expect(await outcomeOf(packets[3]!)).toMatchObject({ code: 'invalid_payload', message: expect.stringMatching(/not valid JSON/) });
    expect(await outcomeOf(packets[4]!)).toMatchObject({ code: 'invalid_payload', path: ['sequence'] });
    expect(await outcomeOf(packets[5]!)).toMatchObject({ code: 'invalid_payload', message: expect.stringMatching(/exactly one report/) });
  });

  it('decodes reports on the main thread while the threads are behind, still in order', async () => {
    const run = instanceRun('checkout', 'host-2');
    // Reports of 500 breakers take the thread far longer to decode than the main thread takes to hand them over.
    const breakers = Array.from({ length: 500 }, (_, b) => run.breaker(`dependency-${b}`, { success: b }));
    const texts = Array.from({ length: 200 }, (_, index) => encoded(index, ['report:send', reordered(run.report(breakers))]));
    const packets = await decodeAll(texts);
    expect(packets.map((packet) => packet.id)).toEqual(texts.map((_, index) => index));
    const threaded = packets.filter(onThread);
    // The first ones went to the thread; once 64 were out, the rest came through as plain payloads, for the handler to decode.
    expect(threaded.length).toBeGreaterThanOrEqual(64);
    expect(threaded.length).toBeLessThan(200);
    const plain = packets.find((packet) => !((packet.data as unknown[])[1] instanceof DecodedReport))!;
    expect((plain.data as [string, { sequence: number }])[1].sequence).toBe(plain.id! + 1);
  });

  it('reads reports given as their frame\'s bytes as it reads their text, ASCII or not', async () => {
    const run = instanceRun('checkout', 'host-3');
    const ascii = run.report([run.breaker('payments', { success: 4, failure: 1 }, 'OPEN', [0, 2, 3])]);
    const unicode = run.report([run.breaker('ledger-ünïcode ✓', { success: 2 }, 'CLOSED', [1])]);
    const bytesOf = (text: string) => agentEventBytes(Buffer.from(`4${text}`))!;
    const texts = [encoded(1, ['report:send', ascii]), encoded(2, ['report:send', unicode]), encoded(3, ['transition:report', run.transition('payments', 'CLOSED', 'OPEN')])];
    const frames = texts.map(bytesOf);
    expect(frames.every(isTextFrame)).toBe(true);
    const fromFrames = await decodeAll(frames);
    expect(fromFrames.map(onThread)).toEqual([false, false, false]);
    expect(await outcomeOf(fromFrames[0]!)).toEqual(packReport(ascii));
    expect(await outcomeOf(fromFrames[1]!)).toEqual(packReport(unicode));
    expect(fromFrames[2]).toEqual((await decodeAll([texts[2]!]))[0]);
  });

  it('leaves other namespaces to Socket.IO', async () => {
    const [packet] = await decodeAll(['2/dashboard,3["report:send",{"a":1}]']);
    expect(packet).toMatchObject({ nsp: '/dashboard', id: 3, data: ['report:send', { a: 1 }] });
  });
});
