import { Emitter } from '@socket.io/component-emitter';
import { Decoder, PacketType, type Packet } from 'socket.io-parser';
import { AGENT_NAMESPACE } from '../../lib/protocol/agent-events.js';
import type { PackedReport } from './packed-report';
import type { ReportDecoderPool } from './report-decoder-pool';

/**
 * What a `report:send` handler receives for a packet decoded on a decoder
 * thread: the packed report, or the error to answer with. Only this decoder
 * makes one (a reporter's JSON cannot), so the handler can tell it from a
 * payload it must still decode itself.
 */
export class ThreadDecodedReport {
  constructor(readonly outcome: Promise<PackedReport>) {
    // Settled by the time the handler runs; a rejection is read there, not reported as unhandled here.
    outcome.catch(() => {});
  }
}

// Socket.IO's text encoding of an agent event with an acknowledgement id: `2/agent,<id>["report:send",{…}]`.
const EVENT_PREFIX = `${PacketType.EVENT}${AGENT_NAMESPACE},`;
const REPORT_ARGUMENTS = '["report:send",';

/** The ack id and where the arguments' JSON starts, when a text packet is a report; null otherwise. */
function reportPacket(data: string): { id: number | undefined; jsonAt: number } | null {
  if (!data.startsWith(EVENT_PREFIX)) return null;
  let at = EVENT_PREFIX.length;
  while (at < data.length && data.charCodeAt(at) >= 48 && data.charCodeAt(at) <= 57) at += 1;
  if (!data.startsWith(REPORT_ARGUMENTS, at)) return null;
  return { id: at > EVENT_PREFIX.length ? Number(data.slice(EVENT_PREFIX.length, at)) : undefined, jsonAt: at };
}

// Reports waiting for the threads beyond which the main thread decodes the next ones itself (about 10 ms of a thread's work):
// on a busy machine the threads can get less CPU than the main thread has to spare, and then waiting for them only adds latency.
const MAX_THREAD_BACKLOG = 64;

interface Queued {
  packet: Packet | null;
}

/**
 * Socket.IO's decoder, with `report:send` packets of the agent namespace
 * decoded on the report decoder threads rather than by JSON.parse on the main
 * thread (see agent-parser.ts). Every other packet goes through Socket.IO's
 * own decoder, and so do reports while the threads are behind (the handler
 * then decodes them on the main thread). Packets of one connection still come out in the order they
 * came in: a packet that follows a report waits for it.
 */
export function reportOffloadingDecoder(pool: ReportDecoderPool) {
  class ReportOffloadingDecoder extends Emitter<Record<string, never>, Record<string, never>, { decoded: (packet: Packet) => void }> {
    private readonly inner = new Decoder();
    private readonly queue: Queued[] = [];
    private destroyed = false;

    constructor() {
      super();
      this.inner.on('decoded', (packet: Packet) => this.enqueue({ packet }));
    }

    add(data: unknown): void {
      const report = typeof data === 'string' && pool.backlog < MAX_THREAD_BACKLOG ? reportPacket(data) : null;
      if (typeof data !== 'string' || !report) return this.inner.add(data);
      const entry: Queued = { packet: null };
      this.queue.push(entry);
      const outcome = pool.decode(data.slice(report.jsonAt));
      const settle = () => {
        entry.packet = { type: PacketType.EVENT, nsp: AGENT_NAMESPACE, id: report.id, data: ['report:send', new ThreadDecodedReport(outcome)] };
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

  return ReportOffloadingDecoder;
}
