import { randomUUID } from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAck } from '../../../lib/protocol/ack.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { connectAgent, send, type AgentClient } from '../../fixtures/agent-client';
import { AGENT_EVENTS, hostileAgentMessage, hostileHttpBody, type HostileAgentMessage, type HostileContext, type HostileHttpBody } from '../../fixtures/hostile-payloads';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { instanceRun } from '../../fixtures/protocol-messages';
import { metricSample, storedService, type StoredService } from '../../fixtures/stored-counters';

/*
 * Hostile reporters against a real panel and a real Postgres: fast-check
 * builds protocol-shaped messages with hostile values at random places
 * (tests/fixtures/hostile-payloads.ts) and sends them as HTTP batches and as
 * /agent events, raw packets and frames. Whatever comes, the panel answers
 * without a 5xx or `internal` (reporters resend on those, forever), keeps its
 * sockets up after a refused message, and keeps storing everyone's counters:
 * a control service's stored data is unchanged by it all, and what the
 * control service reports afterwards is stored exactly. FUZZ_SEED replays a run.
 */

const TOKEN = 'scrape-token-0123456789';
const LIMIT_BYTES = 65_536;
// Messages per property run, sent together; runs for at least 20,000 messages in all.
const PER_RUN = 25;
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 320);
const AGENT_RUNS = Number(process.env.FUZZ_AGENT_RUNS ?? 480);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
// Generous: a loaded machine answers slowly, and slowness is not what this test is about.
const ACK_TIMEOUT_MS = 30_000;

const known = new Set<string>(AGENT_EVENTS);
const refusedCode = (ack: TAck<unknown>): string | null => (ack.ok ? null : ack.error.code);
const short = (value: unknown): string => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value, (_, item: unknown) => (Buffer.isBuffer(item) ? `<${item.length} bytes>` : item)) ?? String(value));
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text;
};

describe('hostile reporters', () => {
  // FUZZ_LOG_LEVEL=warn shows what the panel logs while it is fuzzed.
  const setup = usePanelOnFreshDatabase({ METRICS_TOKEN: TOKEN, MAX_MESSAGE_BYTES: String(LIMIT_BYTES), FLUSH_INTERVAL_MS: '200', LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'silent' });
  let fuzzKey: string;
  let controlKey: string;
  // Version 1 (full reports) stays accepted: the control service speaks it, the fuzzed connections speak both.
  const control = instanceRun('control', 'control-1', undefined, 1);
  let controlAgent: AgentClient;
  let before: StoredService;
  const runIds = [randomUUID(), randomUUID()] as const;
  const context: HostileContext = { service: 'fuzz', otherService: 'control', instanceIds: ['fuzz-1', 'fuzz-2', 'fuzz-3'], runIds, breakerNames: ['alpha', 'beta', 'gamma'] };

  beforeAll(async () => {
    const keys = createApiKeys({ prisma: setup.panel.prisma, now: Date.now });
    fuzzKey = (await keys.create('fuzz')).key;
    controlKey = (await keys.create('control')).key;

    // The control service: counters and transitions stored before the fuzzing starts.
    controlAgent = await connectAgent(setup.panel.url, controlKey, 1);
    expect(await send(controlAgent, 'instance:register', control.register(['ledger-api']))).toMatchObject({ ok: true });
    expect(await send(controlAgent, 'transition:report', control.transition('ledger-api', 'CLOSED', 'OPEN'))).toEqual({ ok: true, data: null });
    expect(await send(controlAgent, 'report:send', control.report([control.breaker('ledger-api', { success: 40, failure: 9, slow: 2 }, 'OPEN')]))).toEqual({ ok: true, data: null });
    await setup.panel.pipeline.flush();
    before = await storedService(setup.database, 'control');
    expect(before.counters['ledger-api']).toMatchObject({ success: 40, failure: 9 });
    expect(before.transitions).toHaveLength(1);

    expect(refusedCode(await send(controlAgent, 'report:send', { ...control.report([]), protocolVersion: 3 }))).toBe('unsupported_protocol_version');

    // The fuzzed instances exist, so that well-formed messages reach past not_registered.
    for (const instanceId of context.instanceIds) {
      const register = { ...instanceRun('fuzz', instanceId, runIds[0]).register([...context.breakerNames]) };
      const response = await postText(JSON.stringify({ protocolVersion: 1, register }));
      expect(response.status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => {
    controlAgent?.disconnect();
  });

  /**
   * Posts on a connection of its own, closed after the answer. With fetch's pooled connections, one left idle
   * between two runs could be closed by the server's keep-alive timeout just as the next run reused it: a reset
   * that says nothing about the panel, and on a busy machine it happened. Now a reset can only be the panel's doing.
   */
  function postText(text: string): Promise<{ status: number; text(): Promise<string> }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${setup.panel.url}/api/v1/reports`,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${fuzzKey}`, 'content-length': Buffer.byteLength(text) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, text: async () => body });
          });
        },
      );
      request.on('error', reject);
      request.end(text);
    });
  }

  const httpTally = new Map<number, number>();
  const agentTally = new Map<string, number>();
  const count = <K>(tally: Map<K, number>, key: K) => tally.set(key, (tally.get(key) ?? 0) + 1);

  /** Posts a hostile body; throws unless the panel answers below 500 and not `internal`. */
  async function postHostile(body: HostileHttpBody): Promise<void> {
    const response = await postText(body.kind === 'json' ? JSON.stringify(body.body) : body.text);
    const text = await response.text();
    count(httpTally, response.status);
    if (response.status >= 500 || text.includes('"internal"')) throw new Error(`HTTP ${response.status} ${short(text)} for ${short(body.kind === 'json' ? body.body : body.text)}`);
  }

  it(`answers ${HTTP_RUNS * PER_RUN} hostile HTTP batches without a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileHttpBody(context, LIMIT_BYTES), { minLength: PER_RUN, maxLength: PER_RUN }), async (bodies) => {
        await Promise.all(bodies.map(postHostile));
      }),
      { numRuns: HTTP_RUNS, seed: SEED, endOnFailure: true },
    );
    // The batches reached the deeper code: some were applied, most refused, none failed.
    expect(httpTally.get(200) ?? 0, JSON.stringify([...httpTally])).toBeGreaterThan(100);
    expect(httpTally.get(400) ?? 0).toBeGreaterThan(1_000);
  }, 240_000);

  /** Sends a hostile message on a stable connection: an event the panel must answer without `internal` and stay connected. */
  async function emitOnStable(socket: AgentClient, message: Extract<HostileAgentMessage, { kind: 'emit' }>): Promise<void> {
    if (!known.has(message.event)) {
      // No handler, so no answer: the connection just has to survive it.
      (socket as unknown as { emit(event: string, payload: unknown): void }).emit(message.event, message.payload);
      count(agentTally, 'unknown event');
      return;
    }
    const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(event: string, payload: unknown): Promise<TAck<unknown>> };
    const ack = await timed.emitWithAck(message.event, message.payload).catch((error: unknown) => {
      throw new Error(`no answer to ${message.event} (${String(error)}) for ${short(message.payload)}`);
    });
    count(agentTally, ack.ok ? 'ok' : ack.error.code);
    if (!ack.ok && (ack.error.code === 'internal' || ack.error.code === 'unavailable')) throw new Error(`${message.event} answered ${ack.error.code} for ${short(message.payload)}`);
  }

  /**
   * Sends a message a well-behaved client cannot (raw packets, binary frames,
   * oversized) on a connection of its own: the panel answers it or closes
   * that connection, and never answers `internal`.
   */
  async function sendRough(message: Exclude<HostileAgentMessage, { kind: 'emit' }>, ackId: number): Promise<void> {
    const socket = await connectAgent(setup.panel.url, fuzzKey);
    const engine = socket.io.engine;
    try {
      const outcome = new Promise<string>((resolve) => {
        const prefix = `43/agent,${ackId}`;
        engine.on('packet', (packet: { type: string; data?: unknown }) => {
          if (packet.type === 'message' && typeof packet.data === 'string' && packet.data.startsWith(prefix)) resolve(packet.data.slice(prefix.length));
        });
        socket.on('disconnect', () => resolve('closed'));
        // Raw packets carry an ack id and must be answered (or the connection closed); the others have no answer to wait for.
        setTimeout(() => resolve(message.kind === 'raw' ? 'silence' : 'open'), message.kind === 'raw' ? ACK_TIMEOUT_MS : 20).unref();
      });
      switch (message.kind) {
        case 'raw':
          engine.write(`42/agent,${ackId}[${JSON.stringify(message.event)},${message.json}]`);
          break;
        case 'junk':
          engine.write(message.text);
          break;
        case 'binary':
          engine.write(message.bytes);
          break;
        case 'oversized':
          (socket as unknown as { emit(event: string, payload: unknown): void }).emit(message.event, { padding: 'x'.repeat(message.bytes) });
          break;
      }
      const answer = await outcome;
      count(agentTally, `${message.kind}: ${answer.startsWith('[') ? ((JSON.parse(answer) as [TAck<unknown>])[0].ok ? 'ok' : 'refused') : answer}`);
      if (answer === 'silence') throw new Error(`neither an answer nor a close for ${short(message)}`);
      if (answer.includes('"internal"') || answer.includes('"unavailable"')) throw new Error(`answered ${answer} for ${short(message)}`);
    } finally {
      socket.disconnect();
    }
  }

  it(`answers ${AGENT_RUNS * PER_RUN} hostile /agent messages without \`internal\`, and keeps its connections up`, async () => {
    const stable = await Promise.all([1, 1, 2, 2].map((version) => connectAgent(setup.panel.url, fuzzKey, version)));
    let nextAck = 1_000_000;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileAgentMessage(context, LIMIT_BYTES), { minLength: PER_RUN, maxLength: PER_RUN }), async (messages) => {
          await Promise.all(messages.map((message, index) => (message.kind === 'emit' ? emitOnStable(stable[index % stable.length]!, message) : sendRough(message, nextAck++))));
          const dropped = stable.findIndex((socket) => !socket.connected);
          if (dropped >= 0) throw new Error(`a stable connection closed after ${short(messages.filter((message) => message.kind === 'emit'))}`);
        }),
        { numRuns: AGENT_RUNS, seed: SEED, endOnFailure: true },
      );
    } finally {
      for (const socket of stable) socket.disconnect();
    }
    expect(agentTally.get('ok') ?? 0, JSON.stringify([...agentTally])).toBeGreaterThan(100);
    expect(agentTally.get('invalid_payload') ?? 0).toBeGreaterThan(1_000);
  }, 240_000);

  it("keeps the control service's stored data, stores what it reports next exactly, and refused no row of any flush", async () => {
    expect((await fetch(`${setup.panel.url}/api/health`)).status).toBe(200);
    await setup.panel.pipeline.flush();
    expect(await storedService(setup.database, 'control')).toEqual(before);

    expect(await send(controlAgent, 'report:send', control.report([control.breaker('ledger-api', { success: 52, failure: 9, slow: 3, rejected: 1 }, 'OPEN')]))).toEqual({ ok: true, data: null });
    await setup.panel.pipeline.flush();
    const after = await storedService(setup.database, 'control');
    expect(after.counters['ledger-api']).toEqual({ ...before.counters['ledger-api'], success: 52, slow: 3, rejected: 1 });
    expect(after.transitions).toEqual(before.transitions);
    // Everything the database would refuse was refused at the edge.
    expect(Number((await metricSample(setup.panel.url, TOKEN, 'breaker_panel_flush_rows_dropped_total', { table: 'breaker_buckets' })) ?? 0)).toBe(0);
    expect(Number((await metricSample(setup.panel.url, TOKEN, 'breaker_panel_flush_rows_dropped_total', { table: 'breaker_instance_states' })) ?? 0)).toBe(0);
  }, 120_000);
});
