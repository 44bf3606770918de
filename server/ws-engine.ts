import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import type { ReadGate } from './ingest/read-gate';

/**
 * ws keeps each connection's last frame mask as a 4-byte view into the chunk
 * it was read from, so every idle connection holds on to its last read
 * buffer (16 to 64 KB). With 2,000 reporters that was 115 MB of the panel's
 * memory (measured with a heap snapshot at 100,000 breaker-reports/s). The
 * mask is no longer needed once a message is out, so it is let go then.
 * ws has no option for this: the field is ws's own (`_receiver._mask`,
 * ws 8.21), and tests/unit/ws-engine.test.ts fails should ws rename it.
 */
export class MaskReleasingWebSocket extends WebSocket {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const listened = super.emit(event, ...args);
    if (event === 'message') releaseMask(this);
    return listened;
  }
}

interface ReceiverFields {
  _receiver?: { _mask?: Buffer };
}

function releaseMask(socket: WebSocket): void {
  const receiver = (socket as unknown as ReceiverFields)._receiver;
  if (receiver) receiver._mask = undefined;
}

/** Connections that let go of the mask as MaskReleasingWebSocket does, and hand every message to the read gate. */
function gatedWebSocket(gate: ReadGate) {
  return class GatedWebSocket extends WebSocket {
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'message') return super.emit(event, ...args);
      // Let go before, not after: a message the gate holds is handled later, when the receiver may be half-way
      // through the next frame, whose mask must stay. The message holds its data already.
      releaseMask(this);
      gate.admit(this, () => super.emit(event, ...args));
      return true;
    }
  };
}

/**
 * Engine.IO's `wsEngine`: ws's server, whose connections let go of the mask
 * (MaskReleasingWebSocket) and, with a read gate, hand every message to the
 * gate, which may hold it for a later turn and pause the connection
 * (server/ingest/read-gate.ts).
 */
export function panelWebSocketServer(gate: ReadGate | null) {
  const connection = gate ? gatedWebSocket(gate) : MaskReleasingWebSocket;
  return class PanelWebSocketServer extends WebSocketServer {
    constructor(options?: ServerOptions, callback?: () => void) {
      super({ ...options, WebSocket: connection }, callback);
    }
  };
}
