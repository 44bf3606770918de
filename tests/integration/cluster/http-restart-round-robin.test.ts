import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startClusterServer, type PanelProcess } from '../../fixtures/panel-process';
import { startPythonReporter, type PythonReporter } from '../../fixtures/python-reporter';
import { eventually } from '../../fixtures/source-panel';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../fixtures/round-robin-proxy';
import { storedService } from '../../fixtures/stored-counters';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

const SERVICE = 'ledger';
const BREAKER = 'bank-api';
const INSTANCE = 'py-restarted';
// The stale time (5 intervals): a counting server that has none of the run's batches for that long hands the run over.
const REPORT_INTERVAL_MS = 500;
const STALE_AFTER_INTERVALS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const portOf = (server: PanelProcess) => Number(new URL(server.url).port);

/**
 * An HTTP reporter (the Python one, docs/protocol.md alone) restarts behind a
 * round-robin balancer over two servers: its new run registers with one
 * server while the other still holds the previous run, and each run's last
 * batches reach only the server that does not count it. Both runs' calls
 * are stored once each.
 */
describe('an HTTP reporter that restarts behind a round-robin balancer', () => {
  let database: TestDatabase;
  const servers: PanelProcess[] = [];
  const byServerId = new Map<string, PanelProcess>();
  let proxy: RoundRobinProxy;
  const reporters: PythonReporter[] = [];

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
  });

  afterAll(async () => {
    for (const reporter of reporters) await reporter.stop();
    await Promise.all(servers.map((server) => server.stop()));
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  const countedBy = async () =>
    (await database.query<{ counted_by: string }>('SELECT c.counted_by FROM counter_baselines c JOIN instances i ON i.id = c.instance_id WHERE i.name = $1', [INSTANCE]))[0]?.counted_by;

  /**
   * Runs a reporter process for a while: its registration goes to `registerWith`, which counts the run, its batches
   * then round robin, and its last batches go only to the other server. The counting server never sees them, so the
   * other takes the run over once it has been quiet for the stale time, and counts them.
   */
  const runReporter = async (keys: Record<string, string>, registerWith: PanelProcess, seconds: number) => {
    proxy.setBackends([portOf(registerWith)]);
    const reporter = startPythonReporter({ PANEL_URL: proxy.url, PANEL_API_KEY: keys[SERVICE]!, SERVICE, INSTANCE_ID: INSTANCE, BREAKER });
    reporters.push(reporter);
    await reporter.waitFor((line) => line.event === 'registered', 'registered');
    expect(byServerId.get((await countedBy())!)).toBe(registerWith);
    proxy.setBackends(servers.map(portOf));
    await sleep(seconds * 1000);
    // A server that went a stale time without the run's batches may have handed it over meanwhile.
    const counting = byServerId.get((await countedBy())!)!;
    const other = servers.find((server) => server !== counting)!;
    proxy.setBackends([portOf(other)]);
    await sleep(3 * REPORT_INTERVAL_MS);
    await reporter.stop();
    await eventually(countedBy, (holder) => byServerId.get(holder!) === other);
    return reporter.lines.find((line) => line.event === 'stopped')!.counters!;
  };

  it('stores the calls of both runs once', async () => {
    const env = { REPORT_INTERVAL_MS: String(REPORT_INTERVAL_MS), STALE_AFTER_INTERVALS: String(STALE_AFTER_INTERVALS) };
    const start = async (id: string, keyServices: string[] = []) => {
      const server = await startClusterServer(database.url, id, { keyServices, env });
      servers.push(server);
      byServerId.set(`server-${id}`, server);
      return server;
    };
    const a = await start('a', [SERVICE]);
    const b = await start('b');
    proxy = await startRoundRobinProxy([portOf(a), portOf(b)]);

    const first = await runReporter(a.keys, a, 4);
    // At once, while the server that counted the first run's last batches may still owe them to the database: the new run
    // registers with the other server, and the first sees the new run's batches under a run it did not see registered.
    const second = await runReporter(a.keys, (await countedBy()) === 'server-a' ? b : a, 4);
    for (const server of servers) expect(await server.stop()).toBe(0);

    expect(first.success).toBeGreaterThan(5);
    expect(second.success).toBeGreaterThan(5);
    const acknowledged = Object.fromEntries(Object.keys(first).map((kind) => [kind, first[kind]! + second[kind]!]));
    const stored = (await storedService(database, SERVICE)).counters[BREAKER]!;
    expect(stored).toEqual(acknowledged);
  }, 120_000);
});
