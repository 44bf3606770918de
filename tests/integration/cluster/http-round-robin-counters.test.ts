import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startClusterServer, type PanelProcess } from '../../fixtures/panel-process';
import { startPythonReporter, type PythonReporter } from '../../fixtures/python-reporter';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../fixtures/round-robin-proxy';
import { storedService } from '../../fixtures/stored-counters';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

const SERVICE = 'ledger';
const BREAKER = 'bank-api';
const INSTANCE = 'py-round-robin';
// The stale time: how long a server that counts a run may go without its reports before another takes it over.
// The reporter sends a batch every 500 ms, so each of two servers gets one about every second; 2.5 s leaves room for a busy machine.
const REPORT_INTERVAL_MS = 500;
const STALE_AFTER_INTERVALS = 5;
const STALE_MS = STALE_AFTER_INTERVALS * REPORT_INTERVAL_MS;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const portOf = (server: PanelProcess) => Number(new URL(server.url).port);

/**
 * The Python HTTP reporter (docs/protocol.md alone, its own process) behind a
 * plain round-robin balancer over two servers: each request opens a
 * connection, so its batches land on the servers in turn. It sends
 * cumulative counters; whichever servers its batches reach and whichever
 * server dies, every call is stored once.
 */
describe('an HTTP reporter spread round robin over servers', () => {
  let database: TestDatabase;
  const servers: PanelProcess[] = [];
  let proxy: RoundRobinProxy;
  let reporter: PythonReporter | undefined;

  const start = async (id: string, keyServices: string[] = []) => {
    const server = await startClusterServer(database.url, id, { keyServices, env: { REPORT_INTERVAL_MS: String(REPORT_INTERVAL_MS), STALE_AFTER_INTERVALS: String(STALE_AFTER_INTERVALS) } });
    servers.push(server);
    return server;
  };
  const countedBy = async () =>
    (await database.query<{ counted_by: string }>('SELECT c.counted_by FROM counter_baselines c JOIN instances i ON i.id = c.instance_id WHERE i.name = $1', [INSTANCE]))[0]?.counted_by;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
  });

  afterAll(async () => {
    await reporter?.stop();
    await Promise.all(servers.map((server) => server.stop()));
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  it('counts every call once, whichever server takes a batch or dies', async () => {
    const a = await start('a', [SERVICE]);
    const b = await start('b');
    proxy = await startRoundRobinProxy([portOf(a), portOf(b)]);
    reporter = startPythonReporter({ PANEL_URL: proxy.url, PANEL_API_KEY: a.keys[SERVICE]!, SERVICE, INSTANCE_ID: INSTANCE, BREAKER });
    await reporter.waitFor((line) => line.event === 'registered', 'registered');
    const counter = await countedBy();
    expect(['server-a', 'server-b']).toContain(counter);

    // Round robin: both servers take batches; the one the registration reached counts, the other shows states only.
    await sleep(4 * STALE_MS);
    expect(proxy.connections.get(portOf(a))).toBeGreaterThan(3);
    expect(proxy.connections.get(portOf(b))).toBeGreaterThan(3);
    expect(await countedBy()).toBe(counter);

    // The balancer stops sending to the counting server while it stays up: after the stale time the other takes the run over.
    const [counting, other] = counter === 'server-a' ? [a, b] : [b, a];
    proxy.setBackends([portOf(other)]);
    await sleep(3 * STALE_MS);
    const takenOver = await countedBy();
    expect(takenOver).toBe(counter === 'server-a' ? 'server-b' : 'server-a');

    // Round robin again; then the server that counts now is killed, and the one left takes the run over from what was stored.
    proxy.setBackends([portOf(a), portOf(b)]);
    await sleep(2 * STALE_MS);
    expect(await countedBy()).toBe(takenOver);
    await other.kill();
    proxy.setBackends([portOf(counting)]);
    await sleep(4 * STALE_MS);
    expect(await countedBy()).toBe(counter);

    await reporter.stop();
    const acknowledged = reporter.lines.find((line) => line.event === 'stopped')!.counters!;
    // The server left stops gracefully: it writes every count it holds.
    expect(await counting.stop()).toBe(0);

    expect(acknowledged.success).toBeGreaterThan(20);
    const stored = (await storedService(database, SERVICE)).counters[BREAKER]!;
    expect(stored).toEqual(acknowledged);
    const perInstance = await database.query<{ success: number }>(
      `SELECT coalesce(sum(v), 0)::float8 AS success FROM instance_buckets k JOIN breakers b ON b.id = k.breaker_id, unnest(k.success) AS v WHERE b.name = $1`,
      [BREAKER],
    );
    expect(perInstance[0]!.success).toBe(acknowledged.success);
    // Two server starts and about 30 s of reporting; slow on two busy cores.
  }, 180_000);
});
