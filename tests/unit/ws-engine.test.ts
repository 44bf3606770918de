import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MaskReleasingWebSocket, panelWebSocketServer } from '../../server/ws-engine';

const PanelWebSocketServer = panelWebSocketServer(null);

let server: InstanceType<typeof PanelWebSocketServer> | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** The one field the workaround clears, read the way ws keeps it. */
const maskOf = (socket: WebSocket) => (socket as unknown as { _receiver: { _mask?: Buffer } })._receiver._mask;

describe('PanelWebSocketServer', () => {
  it('lets go of the read buffer behind the last frame mask once a message is out', async () => {
    server = new PanelWebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    const accepted = new Promise<WebSocket>((resolve) => server!.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const socket = await accepted;
    expect(socket).toBeInstanceOf(MaskReleasingWebSocket);

    // While the message is handled the mask is still ws's own (a view into the read chunk): the field the workaround relies on exists.
    const seen = new Promise<{ text: string; maskDuring: Buffer | undefined }>((resolve) =>
      socket.once('message', (data) => resolve({ text: String(data), maskDuring: maskOf(socket) })),
    );
    await new Promise<void>((resolve) => client.once('open', () => resolve()));
    client.send('x'.repeat(20_000));
    const { text, maskDuring } = await seen;
    expect(text).toHaveLength(20_000);
    expect(maskDuring).toBeInstanceOf(Buffer);
    expect(maskDuring!.buffer.byteLength).toBeGreaterThan(4);
    expect(maskOf(socket)).toBeUndefined();
    client.close();
  });
});
