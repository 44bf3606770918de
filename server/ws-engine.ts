import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';

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

/** Engine.IO's `wsEngine`: ws's server, making MaskReleasingWebSocket connections. */
export class PanelWebSocketServer extends WebSocketServer {
  constructor(options?: ServerOptions, callback?: () => void) {
    super({ ...options, WebSocket: MaskReleasingWebSocket }, callback);
  }
}
