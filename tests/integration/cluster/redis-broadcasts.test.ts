import { createClient } from 'redis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TTransitionRecord } from '../../../lib/api/transition-record.js';
import { startPanelProcess, type PanelProcess } from '../../fixtures/panel-process';
import { findRedisServer, startRedisServer } from '../../fixtures/redis-server';
import { startSdkService, type SdkServiceProcess } from '../../fixtures/sdk-service-process';
import { signIn } from '../../fixtures/signed-in';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';
import { freePort } from '../../fixtures/free-port';

const SERVICE = 'checkout';
const BREAKER = 'payments-api';
const redisServer = findRedisServer();

/**
 * Two servers with REDIS_URL: a dashboard on one gets the transitions of an
 * SDK service reporting to the other, and they went through the Redis stream.
 */
describe.skipIf(!redisServer)('dashboard broadcasts through Redis (REDIS_URL)', () => {
  let database: TestDatabase;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  const servers: PanelProcess[] = [];
  let sdk: SdkServiceProcess | undefined;
  let dashboard: Socket | undefined;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    redis = await startRedisServer(redisServer!);
  });
  afterAll(async () => {
    dashboard?.disconnect();
    await sdk?.stop();
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
    await database?.drop();
  }, 60_000);

  it('carries a transition reported to one server to a dashboard on the other', async () => {
    const start = async (id: string, keyServices: string[] = []) => {
      const server = await startPanelProcess({
        port: await freePort(),
        keyServices,
        env: { DATABASE_URL: database.url, CLUSTER: 'on', SERVER_ID: `server-${id}`, REDIS_URL: redis.url, REPORT_INTERVAL_MS: '200' },
      });
      servers.push(server);
      return server;
    };
    const a = await start('a', [SERVICE]);
    const b = await start('b');
    const admin = await signIn(a.url);
    dashboard = io(`${a.url}/dashboard`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admin.cookie } });
    const transitions: TTransitionRecord[] = [];
    dashboard.on('transition:new', (record: TTransitionRecord) => transitions.push(record));
    expect(((await dashboard.emitWithAck('live:subscribe', { scope: { kind: 'all' } })) as { ok: boolean }).ok).toBe(true);

    sdk = await startSdkService({ PANEL_URL: b.url, PANEL_API_KEY: a.keys[SERVICE]!, SERVICE, BREAKER, INSTANCE: 'on-b', REPORT_INTERVAL_MS: '200' });
    const mark = sdk.mark();
    sdk.setMode('failing');
    await sdk.waitForState('OPEN', 20_000, mark);
    const deadline = Date.now() + 15_000;
    while (!transitions.some((record) => record.breaker === BREAKER && record.to === 'OPEN')) {
      if (Date.now() > deadline) throw new Error(`no OPEN transition reached the dashboard on A: ${JSON.stringify(transitions)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // It travelled through the stream the servers share.
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      expect(await client.xLen('breaker-panel:dashboard')).toBeGreaterThan(0);
    } finally {
      await client.quit();
    }
  }, 180_000);
});
