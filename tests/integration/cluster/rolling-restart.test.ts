import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail.js';
import { startPanelProcess, type PanelProcess } from '../../fixtures/panel-process';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../fixtures/round-robin-proxy';
import { startSdkService, type SdkServiceProcess } from '../../fixtures/sdk-service-process';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';
import { storedService } from '../../fixtures/stored-counters';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';
import { freePort } from '../../fixtures/free-port';

const SERVICE = 'checkout';
const BREAKER = 'payments-api';
const INSTANCES = ['rolling-1', 'rolling-2', 'rolling-3'];
const IDS = ['a', 'b', 'c'] as const;
type Id = (typeof IDS)[number];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one look at a server's view of the breaker showed. */
interface Look {
  server: Id;
  total: number;
  rows: number;
  live: number;
}

/**
 * Three servers behind a round-robin balancer, three SDK services in their
 * own processes spread over them; each server in turn is taken out of the
 * balancer, stopped gracefully and started again on its port, as a deploy
 * does. Meanwhile another server's view is read every 100 ms: it must count
 * the whole fleet every time (an instance between servers shows stale, never
 * missing), and at the end every call is stored once.
 */
describe('a rolling restart of three servers', () => {
  let database: TestDatabase;
  const servers = {} as Record<Id, PanelProcess>;
  const ports = {} as Record<Id, number>;
  const admins = {} as Record<Id, SignedInClient>;
  let proxy: RoundRobinProxy;
  const services: SdkServiceProcess[] = [];

  const start = (id: Id, keyServices: string[] = []) =>
    startPanelProcess({
      port: ports[id],
      keyServices,
      env: { DATABASE_URL: database.url, CLUSTER: 'on', SERVER_ID: `server-${id}`, CLUSTER_HEARTBEAT_MS: '300', REPORT_INTERVAL_MS: '200' },
    });

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    for (const id of IDS) ports[id] = await freePort();
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await Promise.all(IDS.map((id) => servers[id]?.stop()));
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  it('counts every call once and never shows fewer instances than the fleet while each server restarts', async () => {
    servers.a = await start('a', [SERVICE]);
    [servers.b, servers.c] = await Promise.all([start('b'), start('c')]);
    for (const id of IDS) admins[id] = await signIn(servers[id].url);
    proxy = await startRoundRobinProxy(IDS.map((id) => ports[id]));
    for (const instance of INSTANCES)
      services.push(await startSdkService({ PANEL_URL: proxy.url, PANEL_API_KEY: servers.a.keys[SERVICE]!, SERVICE, BREAKER, INSTANCE: instance, REPORT_INTERVAL_MS: '200', CALL_INTERVAL_MS: '10' }));
    // The balancer spread them: one per server.
    expect([...proxy.connections.values()].filter((count) => count > 0)).toHaveLength(3);
    const breakerId = (await database.query<{ id: string }>(`SELECT b.id FROM breakers b JOIN services s ON s.id = b.service_id WHERE s.name = $1 AND b.name = $2`, [SERVICE, BREAKER]))[0]!.id;

    const look = async (server: Id): Promise<Look> => {
      const detail = await admins[server].getJson<TBreakerDetail>(`/api/v1/breakers/${breakerId}`);
      return { server, total: detail.breaker.instances.total, rows: detail.instances.length, live: detail.instances.filter((row) => !row.stale).length };
    };
    const wholeAndLive = async (server: Id) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const seen = await look(server);
        if (seen.live === INSTANCES.length) return;
        if (Date.now() > deadline) throw new Error(`server ${server} never showed every instance live again: ${JSON.stringify(seen)}`);
        await sleep(100);
      }
    };
    for (const id of IDS) await wholeAndLive(id);

    const looks: Look[] = [];
    for (const [index, id] of IDS.entries()) {
      const watcher = IDS[(index + 1) % IDS.length]!;
      let watching = true;
      const watch = (async () => {
        while (watching) {
          looks.push(await look(watcher));
          await sleep(100);
        }
      })();
      proxy.setBackends(IDS.filter((other) => other !== id).map((other) => ports[other]));
      expect(await servers[id].stop()).toBe(0);
      servers[id] = await start(id);
      admins[id] = await signIn(servers[id].url);
      proxy.setBackends(IDS.map((other) => ports[other]));
      await wholeAndLive(watcher);
      await wholeAndLive(id);
      watching = false;
      await watch;
    }

    // Every look counted the whole fleet: an instance on its way between servers is stale, never gone.
    expect(looks.length).toBeGreaterThan(30);
    expect(looks.filter((seen) => seen.total !== INSTANCES.length || seen.rows !== INSTANCES.length)).toEqual([]);
    expect(looks.some((seen) => seen.live < INSTANCES.length)).toBe(true);

    const drained = await Promise.all(services.map((service) => service.drain()));
    for (const id of IDS) expect(await servers[id].stop()).toBe(0);
    const stored = (await storedService(database, SERVICE)).counters[BREAKER]!;
    const counted = (kind: string) => drained.reduce((sum, service) => sum + (service.counters[kind] ?? 0), 0);
    expect(counted('success')).toBeGreaterThan(1_000);
    expect(stored).toEqual({
      success: counted('success'),
      failure: counted('failure'),
      timeout: counted('timeout'),
      rejected: counted('rejected'),
      slow: counted('slow'),
      fallback: counted('fallback'),
    });
  }, 400_000);
});
