import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { isTextFrame } from '../../server/ingest/report-frame';
import { ChunkReleasingWebSocket, panelWebSocketServer } from '../../server/ws-engine';

const PanelWebSocketServer = panelWebSocketServer(null);

let server: InstanceType<typeof PanelWebSocketServer> | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** The receiver fields the workarounds change, read the way ws keeps them. */
const receiverOf = (socket: WebSocket) => (socket as unknown as { _receiver: { _mask?: Buffer; _fragments: Buffer[] } })._receiver;
const maskOf = (socket: WebSocket) => receiverOf(socket)._mask;

async function connectedPair(): Promise<{ client: WebSocket; socket: WebSocket }> {
  server = new PanelWebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  const accepted = new Promise<WebSocket>((resolve) => server!.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const socket = await accepted;
  await new Promise<void>((resolve) => client.once('open', () => resolve()));
  return { client, socket };
}

const nextMessage = (socket: WebSocket) => new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));

describe('PanelWebSocketServer', () => {
  it('lets go of the read buffer behind the last frame mask once a message is out', async () => {
    const { client, socket } = await connectedPair();
    expect(socket).toBeInstanceOf(ChunkReleasingWebSocket);

    // While the message is handled the mask is still ws's own (a view into the read chunk): the field the workaround relies on exists.
    const seen = new Promise<{ text: string; maskDuring: Buffer | undefined }>((resolve) =>
      socket.once('message', (data) => resolve({ text: String(data), maskDuring: maskOf(socket) })),
    );
    client.send('x'.repeat(20_000));
    const { text, maskDuring } = await seen;
    expect(text).toHaveLength(20_000);
    expect(maskDuring).toBeInstanceOf(Buffer);
    expect(maskDuring!.buffer.byteLength).toBeGreaterThan(4);
    expect(maskOf(socket)).toBeUndefined();
    client.close();
  });

  it("hands an /agent event's text frame on as its bytes, labelled binary, and every other frame as it came", async () => {
    const { client, socket } = await connectedPair();
    const received: Array<{ data: unknown; isBinary: boolean }> = [];
    socket.on('message', (data, isBinary) => received.push({ data, isBinary }));
    const report = '42/agent,7["report:send",{"name":"ünïcode"}]';
    client.send(report);
    client.send('42/dashboard,1["subscribe",{}]');
    client.send('2');
    client.send(Buffer.from('42/agent,binary attachment'));
    await vi.waitFor(() => expect(received).toHaveLength(4));
    const [agent, dashboard, ping, binary] = received;
    // Engine.IO's message type stays behind, as Engine.IO's own decoder would leave it.
    expect(agent!.isBinary).toBe(true);
    expect(isTextFrame(agent!.data)).toBe(true);
    expect(String(agent!.data)).toBe(report.slice(1));
    expect([dashboard!.isBinary, String(dashboard!.data), isTextFrame(dashboard!.data)]).toEqual([false, '42/dashboard,1["subscribe",{}]', false]);
    expect([ping!.isBinary, String(ping!.data)]).toEqual([false, '2']);
    expect([binary!.isBinary, isTextFrame(binary!.data)]).toEqual([true, false]);
    client.close();
  });

  it('adds each frame to a fragments array made for its read, not to the one left from the message before', async () => {
    const { client, socket } = await connectedPair();
    client.send('first');
    expect(await nextMessage(socket)).toBe('first');
    // The array ws keeps until the next message: in V8's old generation by then, were a frame added to it.
    const leftOver = receiverOf(socket)._fragments;
    expect(leftOver).toEqual([]);
    client.send('y'.repeat(20_000));
    expect(await nextMessage(socket)).toHaveLength(20_000);
    // ws swaps in a new array after a message but never empties the old one: a frame added to it would still be there.
    expect(leftOver).toEqual([]);
    client.close();
  });
});
