import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import { HeldTextRing } from './ingest/held-text-ring';
import { agentEventBytes } from './ingest/report-frame';
import type { ReadGate } from './ingest/read-gate';

/** Room for the text of messages the read gate holds (server/ingest/held-text-ring.ts): 2,000 reports of 16 KB. */
const HELD_TEXT_BYTES = 32 * 1024 * 1024;

/**
 * ws's own fields that hold on to read chunks (ws 8.21). ws has no option for
 * either; tests/unit/ws-engine.test.ts fails should ws rename them.
 */
interface ChunkHoldingFields {
  _socket?: Duplex | null;
  _receiver?: { _mask?: Buffer; _fragments?: Buffer[] };
}

const fieldsOf = (socket: WebSocket) => socket as unknown as ChunkHoldingFields;

/**
 * The mask of the last frame is a 4-byte view into the chunk it was read
 * from, so every idle connection held on to its last read chunk (16 to 64
 * KB): 115 MB of the panel's memory with 2,000 reporters. It is not needed
 * once the message is out.
 */
function releaseMask(socket: WebSocket): void {
  const receiver = fieldsOf(socket)._receiver;
  if (receiver) receiver._mask = undefined;
}

/**
 * ws gathers a message's frames in an array it keeps from one message to the
 * next: by the time a frame goes in, the array is in V8's old generation. A
 * frame is a view into its read chunk, and the old array, dead once the
 * message is out, still points at it until the next full collection, so
 * young collections kept every chunk alive and promoted it. At 100,000
 * breaker-reports/s that was 25 MB/s of array buffers reaching the old
 * generation, and V8 starts a full collection whenever array buffers grow by
 * 64 MB: one every 2 s, for nothing else. A new array before every read is
 * young when the frame goes in, and the chunk dies young with it.
 */
function freshFragmentsBeforeEveryRead(socket: WebSocket): void {
  const { _socket: stream, _receiver: receiver } = fieldsOf(socket);
  if (!stream || !receiver) return;
  stream.prependListener('data', () => {
    if (receiver._fragments?.length === 0) receiver._fragments = [];
  });
}

/**
 * A message as Engine.IO is to get it: an /agent event's text frame as its
 * bytes, labelled binary so that Engine.IO hands them on without making a
 * string (server/ingest/report-frame.ts); anything else as it came.
 */
function forEngine(data: unknown, isBinary: unknown): [unknown, unknown] {
  const bytes = isBinary === false && Buffer.isBuffer(data) ? agentEventBytes(data) : null;
  return bytes ? [bytes, true] : [data, isBinary];
}

/** ws's WebSocket without the two ways above of holding on to read chunks, with /agent events passed on as bytes. */
export class ChunkReleasingWebSocket extends WebSocket {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    // A server-side socket says 'open' once ws has attached it to its connection and receiver.
    if (event === 'open') freshFragmentsBeforeEveryRead(this);
    if (event !== 'message') return super.emit(event, ...args);
    const listened = super.emit(event, ...forEngine(args[0], args[1]));
    releaseMask(this);
    return listened;
  }
}

/** Connections that let go of read chunks as ChunkReleasingWebSocket does, and hand every message to the read gate. */
function gatedWebSocket(gate: ReadGate) {
  const heldText = new HeldTextRing(HELD_TEXT_BYTES);
  return class GatedWebSocket extends ChunkReleasingWebSocket {
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'message') return super.emit(event, ...args);
      // Let go before, not after: a message the gate holds is handled later, when the receiver may be half-way
      // through the next frame, whose mask must stay. The message holds its data already.
      releaseMask(this);
      const [data, isBinary] = args;
      let payload = data;
      let copied = false;
      const deliveredNow = gate.admit(this, () => {
        try {
          WebSocket.prototype.emit.call(this, event, ...forEngine(payload, isBinary));
        } finally {
          if (copied) heldText.release();
        }
      });
      // The gate delivers held messages oldest first, the order the ring takes its copies back in. A text frame is made a
      // string as soon as it is emitted (by Engine.IO, or for /agent events by the packet decoder), so the bytes are free
      // again then; binary frames may be kept, and stay as they are.
      if (!deliveredNow && isBinary === false && Buffer.isBuffer(data)) {
        const copy = heldText.copy(data);
        if (copy) [payload, copied] = [copy, true];
      }
      return true;
    }
  };
}

/**
 * Engine.IO's `wsEngine`: ws's server, whose connections let go of read
 * chunks (ChunkReleasingWebSocket) and, with a read gate, hand every message
 * to the gate, which may hold it for a later turn and pause the connection
 * (server/ingest/read-gate.ts). It passes /agent events on as bytes, which
 * only the panel's packet decoder reads (agentParser): use the two together.
 */
export function panelWebSocketServer(gate: ReadGate | null) {
  const connection = gate ? gatedWebSocket(gate) : ChunkReleasingWebSocket;
  return class PanelWebSocketServer extends WebSocketServer {
    constructor(options?: ServerOptions, callback?: () => void) {
      super({ ...options, WebSocket: connection }, callback);
    }
  };
}
