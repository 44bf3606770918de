import { fork, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKeys } from '../../../server/auth/api-keys';
import type { RunningPanel } from '../../../server/panel-server';
import { startTestPanel } from '../../fixtures/panel';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';
import { addSource, breakerDetail, eventually, storedTransitions } from '../../fixtures/source-panel';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

const JSON_SENDER = path.resolve(import.meta.dirname, '../../fixtures/otlp-json-sender.py');
const PROTO_SENDER = path.resolve(import.meta.dirname, '../../fixtures/otlp-proto-sender.ts');
const SERVICE = 'dotnet-orders';
const INCIDENT = [
  { from: 'CLOSED', to: 'OPEN' },
  { from: 'OPEN', to: 'HALF_OPEN' },
  { from: 'HALF_OPEN', to: 'CLOSED' },
];

interface JsonExport {
  instance?: string;
  startNanos?: bigint;
  pipeline?: string;
  strategy?: string;
  counts?: Record<string, number | string>;
  gzip?: boolean;
  raw?: string;
  contentType?: string;
  key?: string;
  service?: string;
}

describe('OTLP/HTTP metrics receiver', () => {
  let database: TestDatabase;
  let panel: RunningPanel;
  let admin: SignedInClient;
  let key: string;
  // The watched process starts after the panel: everything it exports is new to the receiver.
  let processStart = 0n;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    panel = await startTestPanel({ DATABASE_URL: database.url, MAX_MESSAGE_BYTES: '65536', REPORT_INTERVAL_MS: '500', FLUSH_INTERVAL_MS: '500' });
    admin = await signIn(panel.url);
    processStart = BigInt(Date.now()) * 1_000_000n;
    const keys = createApiKeys({ prisma: panel.prisma, now: Date.now });
    key = (await keys.create(SERVICE)).key;
    // The poll interval of an OTLP source stands for the exporters' interval: instances stay live that long after a push.
    await addSource(admin, { kind: 'otlp', name: 'orders exporters', service: SERVICE, pollIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await panel?.stop();
    await database?.drop();
  });

  /** One export from the Python sender, in its own process: the answer's status and body. */
  function sendJson(spec: JsonExport): Promise<{ status: number; body: string }> {
    const full = {
      url: `${panel.url}/v1/metrics`,
      key: spec.key ?? key,
      service: spec.service ?? SERVICE,
      instance: spec.instance ?? 'orders-1',
      startNanos: String(spec.startNanos ?? processStart),
      timeNanos: String(BigInt(Date.now()) * 1_000_000n),
      pipeline: spec.pipeline ?? 'orders-http',
      strategy: spec.strategy ?? 'cb-inventory',
      counts: spec.counts ?? {},
      ...(spec.gzip ? { gzip: true } : {}),
      ...(spec.raw === undefined ? {} : { raw: spec.raw }),
      ...(spec.contentType ? { contentType: spec.contentType } : {}),
    };
    return new Promise((resolve, reject) => {
      const child = spawn('python3', [JSON_SENDER, JSON.stringify(full)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', () => {
        const [status, ...body] = output.trim().split(' ');
        resolve({ status: Number(status), body: body.join(' ') });
      });
    });
  }

  const lane = async (breaker: string, instance: string) => (await breakerDetail(admin, SERVICE, breaker))?.instances.find((item) => item.name === instance)?.state ?? null;
  const transitionsOf = async (breaker: string, instance: string) =>
    (await storedTransitions(database, SERVICE)).filter((row) => row.breaker === breaker && row.instance === instance).map(({ from, to }) => ({ from, to }));
  const counts = async () =>
    (
      await database.query<{ instances: number; transitions: number; breakers: number }>(
        'SELECT (SELECT count(*)::int FROM instances) AS instances, (SELECT count(*)::int FROM transitions) AS transitions, (SELECT count(*)::int FROM breakers) AS breakers',
      )
    )[0];

  it('replays the scripted incident from Polly circuit events posted as OTLP/JSON (gzip) by a Python process', async () => {
    const steps: Array<[Record<string, number>, string]> = [
      [{ OnCircuitOpened: 1 }, 'OPEN'],
      [{ OnCircuitOpened: 1, OnCircuitHalfOpened: 1 }, 'HALF_OPEN'],
      [{ OnCircuitOpened: 1, OnCircuitHalfOpened: 1, OnCircuitClosed: 1 }, 'CLOSED'],
    ];
    for (const [eventCounts, state] of steps) {
      const answer = await sendJson({ counts: eventCounts, gzip: true });
      expect(answer).toEqual({ status: 200, body: '{}' });
      await eventually(
        () => lane('orders-http/cb-inventory', 'orders-1'),
        (current) => current === state,
      );
    }
    expect(await transitionsOf('orders-http/cb-inventory', 'orders-1')).toEqual(INCIDENT);
    const detail = await breakerDetail(admin, SERVICE, 'orders-http/cb-inventory');
    expect(detail!.instances[0]!.client).toMatchObject({ kind: 'otlp', readOnly: true });
  });

  it('replays the same incident from OTLP/protobuf sent by the OpenTelemetry JS SDK in another process', async () => {
    const child = fork(PROTO_SENDER, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${panel.url}/v1/metrics`,
        OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${key}`,
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        SERVICE,
        INSTANCE: 'orders-2',
        PIPELINE: 'orders-http',
        STRATEGY: 'cb-inventory',
      },
    });
    const lines = readline.createInterface({ input: child.stdout! });
    const answers: string[] = [];
    lines.on('line', (line) => answers.push(line));
    const flush = async () => {
      const before = answers.length;
      child.stdin!.write(`${JSON.stringify({ flush: true })}\n`);
      await eventually(
        async () => answers.length,
        (length) => length > before,
        20_000,
      );
      return JSON.parse(answers.at(-1)!) as { flushed: string };
    };
    try {
      // Started (the SDK loaded) before any flush is timed: only the test's own limit bounds how long a start takes.
      await new Promise<void>((resolve, reject) => {
        lines.once('line', () => resolve());
        child.once('exit', (code) => reject(new Error(`the OTLP sender exited with ${code} before it was ready`)));
      });
      expect(JSON.parse(answers[0]!)).toEqual({ ready: true });
      for (const [event, state] of [
        ['OnCircuitOpened', 'OPEN'],
        ['OnCircuitHalfOpened', 'HALF_OPEN'],
        ['OnCircuitClosed', 'CLOSED'],
      ] as const) {
        child.stdin!.write(`${JSON.stringify({ event })}\n`);
        expect(await flush()).toEqual({ flushed: 'ok' });
        await eventually(
          () => lane('orders-http/cb-inventory', 'orders-2'),
          (current) => current === state,
        );
      }
      expect(await transitionsOf('orders-http/cb-inventory', 'orders-2')).toEqual(INCIDENT);
    } finally {
      child.stdin!.end();
      child.kill();
    }
  });

  it('orders events that grew together (open before close), and starts a new run when the process restarts', async () => {
    expect((await sendJson({ instance: 'orders-3', counts: { OnCircuitOpened: 1, OnCircuitClosed: 1 } })).status).toBe(200);
    await eventually(
      () => transitionsOf('orders-http/cb-inventory', 'orders-3'),
      (rows) => rows.length === 2,
    );
    expect(await transitionsOf('orders-http/cb-inventory', 'orders-3')).toEqual([
      { from: 'CLOSED', to: 'OPEN' },
      { from: 'OPEN', to: 'CLOSED' },
    ]);

    const runOf = async () => (await database.query<{ run_id: string }>('SELECT run_id FROM instances WHERE name = $1', ['orders-3']))[0]?.run_id;
    const firstRun = await runOf();
    // A restart: a new start time and counters from zero.
    expect((await sendJson({ instance: 'orders-3', startNanos: processStart + 60_000_000_000n, counts: { OnCircuitOpened: 1 } })).status).toBe(200);
    await eventually(runOf, (run) => run !== firstRun);
    await eventually(
      () => lane('orders-http/cb-inventory', 'orders-3'),
      (state) => state === 'OPEN',
    );
  });

  it('gives the state but repeats no history for a process that started before the receiver', async () => {
    const old = BigInt(Date.now() - 3_600_000) * 1_000_000n;
    expect((await sendJson({ instance: 'orders-4', startNanos: old, counts: { OnCircuitOpened: 4, OnCircuitHalfOpened: 3, OnCircuitClosed: 3 } })).status).toBe(200);
    await eventually(
      () => lane('orders-http/cb-inventory', 'orders-4'),
      (state) => state === 'OPEN',
    );
    expect(await transitionsOf('orders-http/cb-inventory', 'orders-4')).toEqual([]);
  });

  it('refuses bad requests with a 4xx naming the field, and stores nothing', async () => {
    const before = await counts();
    const bad = await sendJson({ instance: 'orders-bad', counts: { OnCircuitOpened: 'many' } });
    expect(bad.status).toBe(400);
    const error = (JSON.parse(bad.body) as { error: { code: string; path: unknown[]; message: string } }).error;
    expect(error.code).toBe('invalid_payload');
    expect(error.path).toEqual(['resourceMetrics', 0, 'scopeMetrics', 0, 'metrics', 0, 'sum', 'dataPoints', 0, 'asInt']);
    expect(error.message).toContain('resourceMetrics.0.scopeMetrics.0.metrics.0.sum.dataPoints.0.asInt');

    const unstorable = await sendJson({ instance: 'orders\u0000bad', counts: { OnCircuitOpened: 1 } });
    expect(unstorable.status).toBe(400);
    expect((JSON.parse(unstorable.body) as { error: { path: unknown[] } }).error.path).toEqual(['resourceMetrics', 0, 'resource', 'attributes', 1, 'value', 'stringValue']);
    expect((await sendJson({ raw: '{"resourceMetrics": [' })).status).toBe(400);
    expect((await sendJson({ raw: '{"resourceMetrics": "none"}' })).body).toContain('resourceMetrics');
    expect((await sendJson({ raw: '{}', contentType: 'text/plain' })).status).toBe(415);
    expect((await sendJson({ key: 'bp_not_a_key', counts: { OnCircuitOpened: 1 } })).status).toBe(401);

    const otherService = await sendJson({ instance: 'orders-bad', service: 'billing', counts: { OnCircuitOpened: 1 } });
    expect(otherService.status).toBe(403);
    expect((JSON.parse(otherService.body) as { error: { path: unknown[] } }).error.path).toEqual(['resourceMetrics', 0, 'resource', 'attributes', 'service.name']);

    const post = (body: Buffer, headers: Record<string, string>) =>
      fetch(`${panel.url}/v1/metrics`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...headers }, body: new Uint8Array(body) });
    const garbage = await post(Buffer.from('not a protobuf message at all'), { 'content-type': 'application/x-protobuf' });
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain('ExportMetricsServiceRequest');
    expect((await post(Buffer.from('{}'), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post(Buffer.from('{}'), { 'content-type': 'application/json', 'content-encoding': 'br' })).status).toBe(415);
    expect((await post(Buffer.alloc(70_000, 32), { 'content-type': 'application/json' })).status).toBe(413);
    // A small gzip body that inflates past the limit.
    expect((await post(gzipSync(Buffer.alloc(1_000_000, 32)), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(413);

    const keys = createApiKeys({ prisma: panel.prisma, now: Date.now });
    const noSource = await sendJson({ key: (await keys.create('billing')).key, service: 'billing', instance: 'billing-1', counts: { OnCircuitOpened: 1 } });
    expect(noSource.status).toBe(403);
    expect(noSource.body).toContain('No enabled OTLP source');

    expect(await counts()).toEqual(before);
  });

  it('accepts what it can and says how many circuit data points it rejected', async () => {
    const raw = JSON.stringify({
      resourceMetrics: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: SERVICE } },
              { key: 'service.instance.id', value: { stringValue: 'orders-5' } },
            ],
          },
          scopeMetrics: [
            {
              scope: { name: 'Polly' },
              metrics: [
                {
                  name: 'resilience.polly.strategy.events',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        startTimeUnixNano: String(processStart),
                        timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                        asInt: '1',
                        attributes: [{ key: 'event.name', value: { stringValue: 'OnCircuitOpened' } }],
                      },
                      {
                        startTimeUnixNano: String(processStart),
                        timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                        asDouble: 'NaN',
                        attributes: [{ key: 'event.name', value: { stringValue: 'OnCircuitClosed' } }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    const answer = await sendJson({ raw });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ partialSuccess: { rejectedDataPoints: 1, errorMessage: expect.stringContaining('1 circuit event') } });
    // Polly names an unnamed breaker strategy "CircuitBreaker".
    await eventually(
      () => lane('CircuitBreaker', 'orders-5'),
      (state) => state === 'OPEN',
    );
  });
  it('shows the instances of a service that stopped pushing stale after its interval', async () => {
    const quiet = 'dotnet-quiet';
    const quietKey = (await createApiKeys({ prisma: panel.prisma, now: Date.now }).create(quiet)).key;
    await addSource(admin, { kind: 'otlp', name: 'quiet exporters', service: quiet, pollIntervalMs: 1_000 });
    expect((await sendJson({ key: quietKey, service: quiet, instance: 'quiet-1', counts: { OnCircuitOpened: 1 } })).status).toBe(200);
    const instance = async () => (await breakerDetail(admin, quiet, 'orders-http/cb-inventory'))?.instances.find((item) => item.name === 'quiet-1') ?? null;
    const live = await eventually(instance, (view) => view?.state === 'OPEN');
    expect(live!.stale).toBe(false);
    // Nothing more is pushed: after the interval (and the read timeout) the panel stops standing in for it.
    await eventually(instance, (view) => view?.stale === true, 20_000);
  });
});
