import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startClusterServer, type PanelProcess } from '../../fixtures/panel-process';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../fixtures/round-robin-proxy';
import { startSdkService, type SdkServiceProcess } from '../../fixtures/sdk-service-process';
import { storedService } from '../../fixtures/stored-counters';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

const SERVICE = 'checkout';
const BREAKER = 'payments-api';
// Buckets are 10 s: each server holds the instance across a bucket's end, so it stores some of the run and loses the rest when killed.
const HOLD_MS = 12_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const portOf = (server: PanelProcess) => Number(new URL(server.url).port);

/**
 * A real SDK service in its own process reports through a balancer to one
 * server of three; that server is killed with -9 and the instance goes on
 * with its run on another; then its connection to that one drops while the
 * server stays up, and the instance moves on again. Whatever a dead server had
 * counted without storing is counted by the next one, and what a server had
 * stored is not counted again: the stored totals equal what the service counted.
 */
describe('an instance that moves to another server when its server dies', () => {
  let database: TestDatabase;
  const servers: PanelProcess[] = [];
  let proxy: RoundRobinProxy;
  let sdk: SdkServiceProcess;

  const start = async (id: string, keyServices: string[] = []) => {
    const server = await startClusterServer(database.url, id, { keyServices, env: { REPORT_INTERVAL_MS: '200' } });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
  });

  afterAll(async () => {
    await sdk?.stop();
    await Promise.all(servers.map((server) => server.stop()));
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  it('counts every call once across a kill and a dropped connection', async () => {
    const a = await start('a', [SERVICE]);
    // B starts before the instance exists: it has never seen it when the instance reaches it.
    const b = await start('b');
    proxy = await startRoundRobinProxy([portOf(a)]);
    sdk = await startSdkService({ PANEL_URL: proxy.url, PANEL_API_KEY: a.keys[SERVICE]!, SERVICE, BREAKER, INSTANCE: 'moving', REPORT_INTERVAL_MS: '200', CALL_INTERVAL_MS: '10' });
    // Failures open the breaker now and then: rejections and failures are counted too.
    const flipper = setInterval(() => sdk.setMode(Math.random() < 0.3 ? 'failing' : 'healthy'), 700);
    try {
      await sleep(HOLD_MS / 2);
      // C starts while A holds the instance: it loads the run's counters as A had stored them then, which A then moves past.
      const c = await start('c');
      await sleep(HOLD_MS / 2);

      const movedTo = async (server: PanelProcess, from: PanelProcess, how: 'kill' | 'drop') => {
        proxy.setBackends([portOf(server)]);
        const registered = new Promise<void>((resolve) => sdk.child.on('message', (message: { event?: string }) => message.event === 'registered' && resolve()));
        if (how === 'kill') await from.kill();
        else proxy.dropConnections();
        await registered;
      };
      await movedTo(c, a, 'kill');
      await sleep(HOLD_MS);
      // The connection to C drops while C stays up with counts of the open bucket it has not written: B must not count them again.
      await movedTo(b, c, 'drop');
      await sleep(2_000);
      // C stops gracefully, mid-bucket: it writes what it held.
      expect(await c.stop()).toBe(0);
      await sleep(1_000);
    } finally {
      clearInterval(flipper);
    }
    const drained = await sdk.drain();
    // B stops gracefully: it writes every count it holds.
    expect(await b.stop()).toBe(0);

    const stored = (await storedService(database, SERVICE)).counters[BREAKER]!;
    const counted = drained.counters;
    expect(counted.success).toBeGreaterThan(1_000);
    expect((counted.failure ?? 0) + (counted.rejected ?? 0)).toBeGreaterThan(0);
    expect(stored).toEqual({
      success: counted.success,
      failure: counted.failure,
      timeout: counted.timeout,
      rejected: counted.rejected,
      slow: counted.slow,
      fallback: counted.fallback,
    });
    // The per-instance buckets hold the same run, once.
    const perInstance = await database.query<{ success: number }>(
      `SELECT coalesce(sum(v), 0)::float8 AS success FROM instance_buckets k JOIN breakers b ON b.id = k.breaker_id, unnest(k.success) AS v WHERE b.name = $1`,
      [BREAKER],
    );
    expect(perInstance[0]!.success).toBe(counted.success);
    // Three server starts and 40 s of reporting: on two busy cores, alongside other test files, it has taken over two minutes.
  }, 300_000);
});
