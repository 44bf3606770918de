import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { ReadGate, type Pausable } from '../../server/read-gate';
import { gatedWebSocketServer } from '../../server/ws-engine';

/** A connection that records whether it is paused. */
function connection(): Pausable & { paused: boolean } {
  return {
    paused: false,
    pause() {
      this.paused = true;
    },
    resume() {
      this.paused = false;
    },
  };
}

describe('ReadGate', () => {
  it('handles messages at once within the turn budget, queues later ones and pauses their connection until they are out', async () => {
    let now = 0;
    const gate = new ReadGate(50, () => now);
    const [early, late] = [connection(), connection()];
    const handled: string[] = [];
    gate.admit(early, () => handled.push('early 1'));
    now = 49;
    gate.admit(early, () => handled.push('early 2'));
    now = 50;
    gate.admit(late, () => handled.push('late 1'));
    gate.admit(late, () => handled.push('late 2'));
    expect(handled).toEqual(['early 1', 'early 2']);
    expect(late.paused).toBe(true);
    expect(early.paused).toBe(false);
    expect(gate.waitingCount).toBe(2);

    await nextTurn();
    expect(handled).toEqual(['early 1', 'early 2', 'late 1', 'late 2']);
    expect(late.paused).toBe(false);
    expect(gate.waitingCount).toBe(0);
  });

  it('hands the queue over a budget at a time, and keeps each connection in order', async () => {
    let now = 0;
    const gate = new ReadGate(50, () => now);
    const [a, b] = [connection(), connection()];
    const handled: string[] = [];
    // Each message takes 30 ms: two fit in a turn's budget.
    const slow = (name: string) => () => {
      handled.push(name);
      now += 30;
    };
    gate.admit(a, slow('a1'));
    gate.admit(a, slow('a2'));
    gate.admit(b, slow('b1'));
    gate.admit(a, slow('a3'));
    gate.admit(b, slow('b2'));
    expect(handled).toEqual(['a1', 'a2']);

    // A connection whose messages wait queues its next ones behind them, even in a fresh turn.
    await nextTurn();
    expect(handled).toEqual(['a1', 'a2', 'b1', 'a3']);
    gate.admit(a, slow('a4'));
    expect(handled).toEqual(['a1', 'a2', 'b1', 'a3']);
    expect(b.paused).toBe(true);

    await nextTurn();
    expect(handled).toEqual(['a1', 'a2', 'b1', 'a3', 'b2', 'a4']);
    expect([a.paused, b.paused]).toEqual([false, false]);
  });

  it('hands held messages over a group at a time, each group once the ticks and microtasks the one before queued have run', async () => {
    let now = 0;
    const gate = new ReadGate(50, () => now, 2);
    const reporter = connection();
    const events: string[] = [];
    // As Socket.IO handles a message: parsed at once, handled in process.nextTick, acknowledged in a microtask.
    const message = (name: string) => () => {
      events.push(`parsed ${name}`);
      process.nextTick(() => void Promise.resolve().then(() => events.push(`acked ${name}`)));
    };
    gate.admit(reporter, message('a'));
    now = 60;
    for (const name of ['b', 'c', 'd', 'e', 'f']) gate.admit(reporter, message(name));
    expect(events).toEqual(['parsed a']);

    await nextTurn();
    // Handed over in one synchronous loop, b to f would all be parsed before any was acknowledged.
    expect(events).toEqual(['parsed a', 'acked a', 'parsed b', 'parsed c', 'acked b', 'acked c', 'parsed d', 'parsed e', 'acked d', 'acked e', 'parsed f', 'acked f']);
  });
});

describe('gatedWebSocketServer with a read gate', () => {
  let server: InstanceType<ReturnType<typeof gatedWebSocketServer>> | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('holds the messages of a real connection past the budget, pauses it, and hands them over in order next turn', async () => {
    // A budget of 0: every message waits for the end of the turn it came in.
    const gate = new ReadGate(0);
    server = new (gatedWebSocketServer(gate))({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    const accepted = new Promise<WebSocket>((resolve) => server!.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const socket = await accepted;
    const received: string[] = [];
    socket.on('message', (data) => received.push(String(data)));
    const pauses = vi.spyOn(socket, 'pause');
    await new Promise<void>((resolve) => client.once('open', () => resolve()));

    // Messages larger than one read, so that frames span chunks while their connection is paused and resumed.
    const sent = ['a', 'b', 'c'].map((letter) => letter.repeat(200_000));
    for (const text of sent) client.send(text);
    await expect.poll(() => received.length).toBe(3);
    expect(received).toEqual(sent);
    expect(pauses).toHaveBeenCalled();
    expect(gate.waitingCount).toBe(0);
    expect(socket.isPaused).toBe(false);
    client.close();
  });
});
