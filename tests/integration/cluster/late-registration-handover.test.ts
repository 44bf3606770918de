import type { UUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectionNameOf } from '../../../server/cluster/connection-names';
import { connectAgent, send } from '../../fixtures/agent-client';
import { startClusterServer, type PanelProcess } from '../../fixtures/panel-process';
import { instanceRun } from '../../fixtures/protocol-messages';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../fixtures/round-robin-proxy';
import { startSdkService, type SdkServiceProcess } from '../../fixtures/sdk-service-process';
import { storedService } from '../../fixtures/stored-counters';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

const SERVICE = 'checkout';
const BREAKER = 'payments-api';
const INSTANCE = 'late-registered';
// A wide stale time: another server's claim on the run holds long enough for the reporter to stop inside it.
const ENV = { REPORT_INTERVAL_MS: '500', STALE_AFTER_INTERVALS: '20' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Drains the reporter, stops the servers gracefully, and compares what is stored with what the reporter had acknowledged. */
async function expectEveryAcknowledgedCallStored(sdk: SdkServiceProcess, servers: PanelProcess[], database: TestDatabase): Promise<void> {
  const drained = await sdk.drain();
  for (const server of servers) expect(await server.stop()).toBe(0);
  const stored = (await storedService(database, SERVICE)).counters[BREAKER]!;
  expect(drained.counters.success).toBeGreaterThan(100);
  expect(stored).toEqual({
    success: drained.counters.success,
    failure: drained.counters.failure ?? 0,
    timeout: drained.counters.timeout ?? 0,
    rejected: drained.counters.rejected ?? 0,
    slow: drained.counters.slow ?? 0,
    fallback: drained.counters.fallback ?? 0,
  });
}

/**
 * Under load a reporter may give up on one server while its registration
 * there is still being stored, and report to another. When that registration
 * finishes, it takes the run over from the server the reporter is connected
 * to, which must let the reporter's socket go: the reporter registers again
 * and takes its run back. Were the socket kept, its reports would be
 * acknowledged and counted nowhere (155 of 305 calls stored when tried).
 */
describe('a registration that finishes after its reporter left', () => {
  let database: TestDatabase;
  const servers: PanelProcess[] = [];
  let sdk: SdkServiceProcess;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
  });

  afterAll(async () => {
    await sdk?.stop();
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  }, 60_000);

  it('gives the run back to the server that holds the reporter’s socket, and stores every acknowledged call', async () => {
    const a = await startClusterServer(database.url, 'a', { keyServices: [SERVICE], env: ENV });
    const b = await startClusterServer(database.url, 'b', { env: ENV });
    servers.push(a, b);
    sdk = await startSdkService({ PANEL_URL: a.url, PANEL_API_KEY: a.keys[SERVICE]!, SERVICE, BREAKER, INSTANCE, REPORT_INTERVAL_MS: '200', CALL_INTERVAL_MS: '10' });
    await sleep(1_500);

    // The same run registered on B by a connection that is gone at once, as a registration that outlived its reporter's patience.
    const runId = (await database.query<{ run_id: UUID }>('SELECT run_id FROM instances WHERE name = $1', [INSTANCE]))[0]!.run_id;
    const late = await connectAgent(b.url, a.keys[SERVICE]!);
    expect(await send(late, 'instance:register', instanceRun(SERVICE, INSTANCE, runId).register([BREAKER]))).toMatchObject({ ok: true });
    late.close();

    // The reporter goes on with A, then stops well within B's claim on the run.
    await sleep(1_500);
    await expectEveryAcknowledgedCallStored(sdk, servers, database);
  }, 120_000);
});

/**
 * The same, while the reporter's own registration is still waiting on the
 * server it takes the run from: the handover finds no socket to let go yet.
 * The registration must then fail as "unavailable", so that the reporter
 * registers again and takes its run back; were it to succeed, the server
 * would acknowledge the reporter's reports and count them nowhere.
 */
describe('a registration overtaken by a handover while it waits', () => {
  let database: TestDatabase;
  const servers: PanelProcess[] = [];
  let proxy: RoundRobinProxy;
  let sdk: SdkServiceProcess;
  let holder: pg.Client | null = null;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
  });

  afterAll(async () => {
    await holder?.end();
    await sdk?.stop();
    await Promise.all(servers.map((server) => server.stop()));
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  it('makes its reporter register again, and every acknowledged call is stored', async () => {
    const b = await startClusterServer(database.url, 'b', { keyServices: [SERVICE], env: ENV });
    const c = await startClusterServer(database.url, 'c', { env: ENV });
    servers.push(b, c);
    proxy = await startRoundRobinProxy([Number(new URL(b.url).port)]);
    sdk = await startSdkService({ PANEL_URL: proxy.url, PANEL_API_KEY: b.keys[SERVICE]!, SERVICE, BREAKER, INSTANCE, REPORT_INTERVAL_MS: '200', CALL_INTERVAL_MS: '10' });
    await sleep(1_500);
    const runId = (await database.query<{ run_id: UUID }>('SELECT run_id FROM instances WHERE name = $1', [INSTANCE]))[0]!.run_id;

    // The run as counted by a server that is connected and never answers: B's next registration waits for it.
    holder = new pg.Client({ connectionString: database.url, application_name: connectionNameOf('server-silent', 'bus') });
    await holder.connect();
    await database.query(`UPDATE counter_baselines SET counted_by = 'server-silent' WHERE run_id = $1`, [runId]);
    const registered = new Promise<void>((resolve) => sdk.child.on('message', (message: { event?: string }) => message.event === 'registered' && resolve()));
    proxy.dropConnections();
    await sleep(1_500);

    // Meanwhile a late registration of the run on C takes it over from B.
    const late = await connectAgent(c.url, b.keys[SERVICE]!);
    expect(await send(late, 'instance:register', instanceRun(SERVICE, INSTANCE, runId).register([BREAKER]))).toMatchObject({ ok: true });
    late.close();
    // The silent server goes away: B's registration stops waiting and finishes.
    await holder.end();
    holder = null;
    await registered;

    await sleep(1_500);
    await expectEveryAcknowledgedCallStored(sdk, servers, database);
  }, 120_000);
});
