import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startClusterServer, type PanelProcess } from '../../fixtures/panel-process';
import { instanceRun } from '../../fixtures/protocol-messages';
import { signIn } from '../../fixtures/signed-in';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';
import { startWebhookReceiver } from '../notify/webhook-receiver';

const SERVICE = 'payments';
const BREAKER = 'card-network';
const INSTANCE = 'payments-1';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One server at a time sends the notifications derived from the merged view
 * (the notifier lease). A trip that happens right after that server is
 * killed with -9, before its lease has run out, is still announced once:
 * the server that takes the lease over sends what it evaluated meanwhile.
 */
describe('the notifier lease moving to another server', () => {
  let database: TestDatabase;
  const servers: PanelProcess[] = [];
  let webhooks: Awaited<ReturnType<typeof startWebhookReceiver>>;

  const start = async (id: string, keyServices: string[] = []) => {
    const server = await startClusterServer(database.url, id, { keyServices, env: { NOTIFY_EVALUATE_INTERVAL_MS: '200' } });
    servers.push(server);
    return server;
  };
  const holder = async () => (await database.query<{ holder: string }>(`SELECT holder FROM cluster_leases WHERE name = 'notifier'`))[0]?.holder;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    webhooks = await startWebhookReceiver();
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await webhooks?.close();
    await database?.drop();
  }, 60_000);

  it('announces a trip made while its holder died, once', async () => {
    const a = await start('a', [SERVICE]);
    const b = await start('b');
    expect(await holder()).toBe('server-a');
    const admin = await signIn(b.url);
    const endpoint = await admin.request('/api/v1/notifications/endpoints', {
      method: 'POST',
      body: { name: 'trips', url: webhooks.url('/trips'), events: ['breaker.tripped'], services: [SERVICE] },
    });
    expect(endpoint.status).toBe(201);

    // An HTTP reporter on B.
    const run = instanceRun(SERVICE, INSTANCE);
    const post = async (batch: object) => {
      const response = await fetch(`${b.url}/api/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.keys[SERVICE]}` },
        body: JSON.stringify({ protocolVersion: 2, ...batch }),
      });
      expect(response.status).toBe(200);
    };
    await post({ register: run.register([BREAKER]), reports: [run.report([run.breaker(BREAKER, { success: 10 })])] });
    // Every server's notifier has read the new endpoint before the trip.
    await sleep(1_500);

    await a.kill();
    await post({ reports: [run.report([run.breaker(BREAKER, { success: 10, failure: 15 }, 'OPEN')])], transitions: [run.transition(BREAKER, 'CLOSED', 'OPEN')] });

    const tripped = () => webhooks.received.filter((hook) => hook.path === '/trips').map((hook) => JSON.parse(hook.body) as { type: string; cause: string | null });
    for (const until = Date.now() + 15_000; tripped().length === 0 && Date.now() < until;) await sleep(100);
    expect(await holder()).toBe('server-b');
    expect(tripped()).toEqual([expect.objectContaining({ type: 'breaker.tripped', cause: 'failure_rate' })]);
    // Time for a second copy, were it sent.
    await sleep(2_000);
    expect(tripped()).toHaveLength(1);
  }, 120_000);
});
