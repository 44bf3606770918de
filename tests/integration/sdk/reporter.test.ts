import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectPanel, createCircuitBreaker, type PanelReporter, type PanelReporterOptions } from '../../../sdk/src/index.js';
import { startFakePanel, type FakePanel } from '../../fixtures/fake-panel-process.js';

// Every panel and reporter a test starts, stopped afterwards whatever happened.
const panels: FakePanel[] = [];
const reporters: PanelReporter[] = [];

afterEach(async () => {
  await Promise.all(reporters.splice(0).map((reporter) => reporter.close(100)));
  await Promise.all(panels.splice(0).map((panel) => panel.stop()));
});

async function panel(options: Parameters<typeof startFakePanel>[0] = {}): Promise<FakePanel> {
  const started = await startFakePanel(options);
  panels.push(started);
  return started;
}

function reporter(options: Omit<PanelReporterOptions, 'apiKey' | 'service'> & Partial<PanelReporterOptions>): PanelReporter {
  const connected = connectPanel({ apiKey: 'bp_test_key', service: 'checkout', reportInterval: 50, reconnectDelay: 50, reconnectDelayMax: 200, ackTimeout: 1_000, ...options });
  reporters.push(connected);
  return connected;
}

function registered(connected: PanelReporter): Promise<void> {
  if (connected.status().registered) return Promise.resolve();
  return new Promise((resolve) => {
    const dispose = connected.on('registered', () => {
      dispose();
      resolve();
    });
  });
}

/** Waits until the panel acknowledged every transition (the reporter's own count). */
async function allAcknowledged(connected: PanelReporter): Promise<void> {
  await vi.waitFor(() => expect(connected.status().pendingTransitions).toBe(0), { timeout: 10_000, interval: 10 });
}

/** Two transitions: CLOSED → FORCED_OPEN → CLOSED. */
function flip(breaker: { forceOpen(): void; release(): void }): void {
  breaker.forceOpen();
  breaker.release();
}

describe('reporter against a panel in another process', () => {
  it('registers the instance with its breakers and reports counters with a rising sequence', async () => {
    const fake = await panel();
    const breaker = createCircuitBreaker({ name: 'payments', minimumCalls: 5, window: { type: 'count', size: 20 } });
    const connected = reporter({ url: fake.url, instance: 'web-1', labels: { region: 'eu' }, breakers: [breaker] });
    await registered(connected);
    await breaker.execute(async () => 'ok');
    await fake.waitFor((line) => line.type === 'event' && line.event === 'report:send' && (line.payload.sequence as number) >= 3);

    expect(fake.lines.find((line) => line.type === 'connection')).toMatchObject({ auth: { apiKey: 'bp_test_key', protocolVersion: 2 } });
    expect(fake.events('instance:register')[0]).toMatchObject({
      protocolVersion: 2,
      service: 'checkout',
      instanceId: 'web-1',
      runId: connected.runId,
      labels: { region: 'eu' },
      sdk: { name: '@breaker-panel/sdk', language: 'typescript' },
      breakers: [{ name: 'payments', config: { implementation: 'breaker-panel', minimumCalls: 5, window: { type: 'count', size: 20 } } }],
    });
    const reports = fake.events('report:send');
    expect(reports.map((report) => report.sequence)).toEqual(reports.map((_, index) => index + 1));
    // The compact form: the registered breakers' numbers in registration order (CLOSED is state 0; counters success first).
    expect(reports.at(-1)).toMatchObject({ droppedTransitions: 0, state: [0], wouldBe: [0], counters: [1, 0, 0, 0, 0, 0], windowCalls: [1], heldOverrides: [] });
  });

  it('delivers every transition exactly once across a panel crash and restart', async () => {
    const first = await panel();
    const breaker = createCircuitBreaker({ name: 'payments' });
    const connected = reporter({ url: first.url, breakers: [breaker] });
    await registered(connected);

    flip(breaker);
    flip(breaker); // 1–4, to the first panel
    await allAcknowledged(connected);

    const disconnected = new Promise((resolve) => connected.on('disconnected', resolve));
    await first.stop();
    await disconnected;
    for (let i = 0; i < 3; i++) flip(breaker); // 5–10, while the panel is down
    expect(connected.status().pendingTransitions).toBe(6);

    const second = await panel({ port: first.port });
    await registered(connected);
    await allAcknowledged(connected);
    flip(breaker); // 11–12, after the reconnect
    await allAcknowledged(connected);

    // Several more report intervals: nothing acknowledged may be sent again.
    const reportsSoFar = second.events('report:send').length;
    await second.waitFor(() => second.events('report:send').length >= reportsSoFar + 4);

    const received = [...first.events('transition:report'), ...second.events('transition:report')];
    const deliveries = new Map<string, number>();
    for (const transition of received) {
      const key = `${String(transition.runId)}#${String(transition.sequence)}`;
      deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
    }
    const expected = Array.from({ length: 12 }, (_, index) => `${connected.runId}#${index + 1}`);
    expect([...deliveries.keys()].sort()).toEqual([...expected].sort());
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(second.events('transition:report')[0]).toMatchObject({ sequence: 5, breaker: 'payments', from: 'CLOSED', to: 'FORCED_OPEN', cause: 'manual' });
  });

  it('keeps memory bounded while the panel is gone, and reports what it dropped', async () => {
    const first = await panel();
    const breaker = createCircuitBreaker({ name: 'payments' });
    const connected = reporter({ url: first.url, breakers: [breaker], transitionBufferSize: 10 });
    await registered(connected);
    const disconnected = new Promise((resolve) => connected.on('disconnected', resolve));
    await first.stop();
    await disconnected;

    for (let i = 0; i < 250; i++) flip(breaker); // 500 transitions
    expect(connected.status()).toMatchObject({ pendingTransitions: 10, droppedTransitions: 490, transitionSequence: 500 });

    const second = await panel({ port: first.port });
    await allAcknowledged(connected);
    await second.waitFor((line) => line.type === 'event' && line.event === 'report:send' && line.payload.droppedTransitions === 490);
    // Only the newest ten survive, oldest first.
    expect(second.events('transition:report').map((transition) => transition.sequence)).toEqual(Array.from({ length: 10 }, (_, index) => 491 + index));
  });

  it('applies a command once and acknowledges every receipt', async () => {
    const fake = await panel();
    const breaker = createCircuitBreaker({ name: 'payments' });
    const changes: string[] = [];
    breaker.on('stateChange', (change) => changes.push(`${change.to}:${change.commandId}`));
    const connected = reporter({ url: fake.url, instance: 'web-1', breakers: [breaker] });
    await registered(connected);
    const trip = {
      protocolVersion: 1,
      id: 'cmd-trip',
      breaker: 'payments',
      action: 'trip',
      expiresAt: null,
      scope: { kind: 'service' },
      reason: 'incident 42',
      issuedBy: 'ops@example.com',
      issuedAt: Date.now(),
    };

    fake.sendCommand(trip);
    await fake.waitFor((line) => line.type === 'event' && line.event === 'command:ack');
    expect(breaker.state).toBe('FORCED_OPEN');
    fake.sendCommand({ ...trip, id: 'cmd-release', action: 'release' });
    fake.sendCommand(trip); // a replay, e.g. after a reconnect
    await fake.waitFor(() => fake.events('command:ack').length === 3);

    expect(breaker.state).toBe('CLOSED'); // the replayed trip did not re-apply
    expect(changes).toEqual(['FORCED_OPEN:cmd-trip', 'CLOSED:cmd-release']);
    expect(fake.events('command:ack').map((ack) => [ack.commandId, ack.status, ack.state, ack.duplicate])).toEqual([
      ['cmd-trip', 'applied', 'FORCED_OPEN', false],
      ['cmd-release', 'applied', 'CLOSED', false],
      ['cmd-trip', 'applied', 'FORCED_OPEN', true],
    ]);
    expect(fake.events('command:ack')[0]).toMatchObject({ instanceId: 'web-1', runId: connected.runId, protocolVersion: 2 });
    // The transition caused by the command names it.
    await fake.waitFor((line) => line.type === 'event' && line.event === 'transition:report' && line.payload.commandId === 'cmd-trip');
  });

  it('refuses a command for another instance or an unknown breaker, and a malformed one', async () => {
    const fake = await panel();
    const breaker = createCircuitBreaker({ name: 'payments' });
    const connected = reporter({ url: fake.url, instance: 'web-1', breakers: [breaker] });
    await registered(connected);
    const base = { protocolVersion: 1, breaker: 'payments', action: 'trip', expiresAt: null, scope: { kind: 'service' }, reason: 'r', issuedBy: 'ops', issuedAt: 1 };
    fake.sendCommand({ ...base, id: 'other', scope: { kind: 'instance', instanceId: 'web-2' } });
    fake.sendCommand({ ...base, id: 'unknown', breaker: 'ledger' });
    fake.sendCommand({ ...base, id: 'bad', action: 'explode' });
    await fake.waitFor(() => fake.events('command:ack').length === 3);
    expect(fake.events('command:ack').map((ack) => [ack.commandId, ack.status, ack.reason])).toEqual([
      ['other', 'failed', 'out_of_scope'],
      ['unknown', 'failed', 'unknown_breaker'],
      ['bad', 'failed', 'invalid_command'],
    ]);
    expect(breaker.state).toBe('CLOSED');
  });

  it('does not slow execute when the panel never answers', async () => {
    const fake = await panel({ mode: 'silent' });
    const fn = async (): Promise<number> => 1;
    const alone = createCircuitBreaker({ name: 'alone' });
    const reported = createCircuitBreaker({ name: 'reported' });
    const connected = reporter({ url: fake.url, breakers: [reported], reportInterval: 10, ackTimeout: 100 });
    await fake.waitFor((line) => line.type === 'event' && line.event === 'instance:register');

    // Calls never wait on the panel: a thousand of them, transitions among them, all finish before any timer or I/O callback runs.
    let eventLoopTurned = false;
    setImmediate(() => (eventLoopTurned = true));
    flip(reported);
    for (let i = 0; i < 1_000; i++) await reported.execute(fn);
    expect(eventLoopTurned).toBe(false);

    /** Calls per millisecond over one batch, the yield to timers and I/O after it (where the reporter works) included. */
    async function callRate(breaker: { execute(call: typeof fn): Promise<unknown> }): Promise<number> {
      const start = performance.now();
      for (let i = 0; i < 1_000; i++) await breaker.execute(fn);
      await new Promise((resolve) => setImmediate(resolve));
      return 1_000 / (performance.now() - start);
    }

    // Batches alternate finely (A B B A …) so that both breakers meet the same machine, and the median pair ignores a
    // collection or a preemption landing in one batch; transitions keep the reporter's buffer busy throughout.
    const ratios: number[] = [];
    for (let pair = 0; pair < 200; pair++) {
      if (pair % 50 === 0) flip(reported);
      const reportedFirst = pair % 2 === 0;
      const first = await callRate(reportedFirst ? reported : alone);
      const second = await callRate(reportedFirst ? alone : reported);
      ratios.push(reportedFirst ? first / second : second / first);
    }
    ratios.sort((a, b) => a - b);
    expect(ratios[ratios.length >> 1]).toBeGreaterThan(0.75);
    expect(connected.status().registered).toBe(false);
    expect(connected.status().pendingTransitions).toBe(10);
    expect(reported.stats().counters.success).toBe(1_000 + 200 * 1_000);
  });

  it('close() right after connecting still waits for registration and delivers the final report', async () => {
    const fake = await panel();
    const breaker = createCircuitBreaker({ name: 'payments' });
    await breaker.execute(async () => 'ok');
    const connected = connectPanel({ url: fake.url, apiKey: 'k', service: 'checkout', breakers: [breaker], reportInterval: 60_000 });
    await connected.close();
    const [report] = fake.events('report:send') as Array<{ counters: number[] }>;
    expect(report?.counters[0]).toBe(1);
  });

  it('close() flushes pending transitions and disconnects', async () => {
    const fake = await panel();
    const breaker = createCircuitBreaker({ name: 'payments' });
    const connected = connectPanel({ url: fake.url, apiKey: 'k', service: 'checkout', breakers: [breaker], reportInterval: 60_000 });
    await registered(connected);
    flip(breaker);
    await connected.close();
    expect(fake.events('transition:report')).toHaveLength(2);
    expect(connected.status()).toMatchObject({ connected: false, pendingTransitions: 0 });
  });
});
