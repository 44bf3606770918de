import { Emitter } from '@socket.io/component-emitter';
import { Decoder, PacketType, type Packet } from 'socket.io-parser';
import { AGENT_NAMESPACE } from '../../lib/protocol/agent-events.js';
import type { PackedReport } from './packed-report';
import type { ReportDecoderPool } from './report-decoder-pool';
import { isTextFrame } from './report-frame';
import { RepeatedText, scanReport } from './report-scanner';

/**
 * What a `report:send` handler receives for a report this decoder decoded:
 * the packed report (read by the scanner), its promise (on a decoder thread),
 * or the error to answer with. Only this decoder makes one (a reporter's JSON
 * cannot), so the handler can tell it from a payload it must still decode
 * itself.
 */
export class DecodedReport {
  constructor(readonly outcome: PackedReport | Promise<PackedReport>) {
    // Settled by the time the handler runs; a rejection is read there, not reported as unhandled here.
    if (outcome instanceof Promise) outcome.catch(() => {});
  }
}

// Socket.IO's text encoding of an agent event with an acknowledgement id: `2/agent,<id>["report:send",{…}]`.
const EVENT_PREFIX = `${PacketType.EVENT}${AGENT_NAMESPACE},`;
const REPORT_ARGUMENTS = '["report:send",';

/** The ack id and where the arguments' JSON starts, when a text packet is a report; null otherwise. */
function reportPacket(data: string): { id: number | undefined; argumentsAt: number } | null {
  if (!data.startsWith(EVENT_PREFIX)) return null;
  let at = EVENT_PREFIX.length;
  while (at < data.length && data.charCodeAt(at) >= 48 && data.charCodeAt(at) <= 57) at += 1;
  if (!data.startsWith(REPORT_ARGUMENTS, at)) return null;
  return { id: at > EVENT_PREFIX.length ? Number(data.slice(EVENT_PREFIX.length, at)) : undefined, argumentsAt: at };
}

// Reports waiting for the threads beyond which the main thread decodes the next ones itself (about 10 ms of a thread's work):
// on a busy machine the threads can get less CPU than the main thread has to spare, and then waiting for them only adds latency.
const MAX_THREAD_BACKLOG = 64;

interface Queued {
  packet: Packet | null;
}

const reportEvent = (id: number | undefined, report: DecodedReport): Packet => ({ type: PacketType.EVENT, nsp: AGENT_NAMESPACE, id, data: ['report:send', report] });

/**
 * Socket.IO's decoder, with `report:send` packets of the agent namespace read
 * by the report scanner (report-scanner.ts) when they are in the plain form
 * reporters write, else decoded on the report decoder threads (when there
 * are any and they are not behind), else left to Socket.IO's own decoder
 * (the handler then decodes them on the main thread). Every other packet goes
 * through Socket.IO's decoder. Packets of one connection still come out in
 * the order they came in: a packet that follows a report on a thread waits
 * for it. An /agent event may come as its frame's bytes (report-frame.ts):
 * the scanner then reads its numbers from them.
 */
export function agentPacketDecoder(pool: ReportDecoderPool | null) {
  class AgentPacketDecoder extends Emitter<Record<string, never>, Record<string, never>, { decoded: (packet: Packet) => void }> {
    private readonly inner = new Decoder();
    private readonly queue: Queued[] = [];
    private readonly repeated = new RepeatedText();
    private destroyed = false;

    constructor() {
      super();
      this.inner.on('decoded', (packet: Packet) => this.enqueue({ packet }));
    }

    add(data: unknown): void {
      if (isTextFrame(data)) {
        const text = data.toString();
        // As long as its bytes only when all ASCII: then byte and character offsets agree.
        return this.addText(text, text.length === data.length ? data : undefined);
      }
      if (typeof data === 'string') return this.addText(data, undefined);
      this.inner.add(data);
    }

    private addText(data: string, bytes: Uint8Array | undefined): void {
      const report = reportPacket(data);
      if (!report) return this.inner.add(data);
      const scanned = scanReport(data, report.argumentsAt + REPORT_ARGUMENTS.length, this.repeated, bytes);
      if (scanned) return this.enqueue({ packet: reportEvent(report.id, new DecodedReport(scanned)) });
      if (!pool || pool.backlog >= MAX_THREAD_BACKLOG) return this.inner.add(data);
      const entry: Queued = { packet: null };
      this.queue.push(entry);
      const outcome = pool.decode(data.slice(report.argumentsAt));
      const settle = () => {
        entry.packet = reportEvent(report.id, new DecodedReport(outcome));
        this.drain();
      };
      outcome.then(settle, settle);
    }

    destroy(): void {
      this.destroyed = true;
      this.queue.length = 0;
      this.inner.destroy();
    }

    private enqueue(entry: Queued): void {
      this.queue.push(entry);
      this.drain();
    }

    private drain(): void {
      while (!this.destroyed && this.queue[0]?.packet) this.emitReserved('decoded', this.queue.shift()!.packet!);
    }
  }

  return AgentPacketDecoder;
}
