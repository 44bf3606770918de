import type { UUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAgent, send } from '../../fixtures/agent-client';
import { startClusterServer, type PanelProcess } from '../../fixtures/panel-process';
import { instanceRun } from '../../fixtures/protocol-messages';
import { startSdkService, type SdkServiceProcess } from '../../fixtures/sdk-service-process';
import { storedService } from '../../fixtures/stored-counters';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

const SERVICE = 'checkout';
const BREAKER = 'payments-api';
const INSTANCE = 'late-registered';
// A wide stale time: another server's claim on the run holds long enough for the reporter to stop inside it.
const ENV = { REPORT_INTERVAL_MS: '500', STALE_AFTER_INTERVALS: '20' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  }, 120_000);
});
