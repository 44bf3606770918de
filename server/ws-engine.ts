import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import type { ReadGate } from './read-gate';

/**
 * Engine.IO's `wsEngine`: ws's server whose connections hand every incoming
 * message to the read gate (read-gate.ts), which may hold it
 * for a later turn of the event loop and pause the connection meanwhile.
 * Only ws's public API: the `WebSocket` class option, `emit`, `pause` and
 * `resume`.
 */
export function gatedWebSocketServer(gate: ReadGate) {
  class GatedWebSocket extends WebSocket {
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'message') return super.emit(event, ...args);
      gate.admit(this, () => super.emit(event, ...args));
      return true;
    }
  }
  return class GatedWebSocketServer extends WebSocketServer {
    constructor(options?: ServerOptions, callback?: () => void) {
      super({ ...options, WebSocket: GatedWebSocket }, callback);
    }
  };
}
