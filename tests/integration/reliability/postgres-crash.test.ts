import { chmod, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBreakerList } from '../../../lib/api/breaker-list';
import { createLogger } from '../../../server/logger';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../../server/store/embedded-postgres';
import { readPostmasterFile } from '../../../server/store/embedded/postmaster-file';
import { EMBEDDED_DATABASE } from '../../../server/store/open-database';
import { connectAgent, send } from '../../fixtures/agent-client';
import { startPanelProcess, type PanelProcess } from '../../fixtures/panel-process';
import { instanceRun } from '../../fixtures/protocol-messages';
import type { SdkServiceProcess } from '../../fixtures/sdk-service-process';
import { signIn } from '../../fixtures/signed-in';
import { BREAKER, pause, startFleet, stirFleet } from '../../fixtures/reliability-fleet';
import { probePanel, waitHealthy } from '../../fixtures/outage-probe';
import { readStoredFigures, reportedCounters, transitionFaults } from '../../fixtures/stored-figures';

// Real processes: the panel, SDK services, and Postgres killed with SIGKILL or stopped under them.
describe('the panel when its Postgres goes away', () => {
  let root: string;
  const panels: PanelProcess[] = [];
  const fleets: SdkServiceProcess[] = [];
  const clusters: EmbeddedDatabase[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-pg-crash-'));
    await chmod(root, 0o755);
  });

  afterAll(async () => {
    await Promise.all(fleets.map((service) => service.stop()));
    for (const panel of panels) await panel.stop();
    for (const cluster of clusters) await cluster.stop();
    await rm(root, { recursive: true, force: true });
  });

  /** The breaker's id, once the fleet's registration reached the panel. */
  const breakerPath = async (client: Awaited<ReturnType<typeof signIn>>) => {
    const list = await client.getJson<TBreakerList>('/api/v1/breakers');
    return `/api/v1/breakers/${list.breakers.find((breaker) => breaker.name === BREAKER)!.id}`;
  };

  it('restarts an embedded Postgres killed with -9 and writes everything it was owed', async () => {
    const dataDir = path.join(root, 'embedded');
    const panel = await startPanelProcess({ port: await freePort(), env: { DATA_DIR: root, PG_DATA_DIR: dataDir }, keyServices: ['checkout'] });
    panels.push(panel);
    const fleet = await startFleet(panel.url, panel.keys.checkout!, ['pg-a', 'pg-b']);
    fleets.push(...fleet);
    const client = await signIn(panel.url);
    const stirring = stirFleet(fleet);
    const probe = probePanel(panel.url, client.cookie, await breakerPath(client));
    await pause(2_500);

    const killed = (await readPostmasterFile(dataDir))!;
    process.kill(killed.pid, 'SIGKILL');
    await pause(500);
    await waitHealthy(panel.url);
    expect((await readPostmasterFile(dataDir))?.pid).not.toBe(killed.pid);
    await pause(2_000);

    stirring.stop();
    const figures = await probe.stop();
    const drained = await Promise.all(fleet.map((service) => service.drain()));
    await Promise.all(fleet.map((service) => service.stop()));
    expect(await panel.stop()).toBe(0);

    expect(figures.statuses.get(500) ?? 0).toBe(0);
    expect(figures.unavailableWithoutRetryAfter).toBe(0);
    expect(panel.output()).toContain('the embedded Postgres is running again');

    const cluster = await startEmbeddedPostgres({ dataDir, port: 0, logger: createLogger('silent') });
    try {
      const stored = await readStoredFigures(cluster.urlFor(EMBEDDED_DATABASE), BREAKER);
      for (const service of drained) expect(transitionFaults(service, stored)).toEqual({ missing: [], duplicated: [] });
      expect(stored.counters).toEqual(reportedCounters(drained));
    } finally {
      await cluster.stop();
    }
  }, 180_000);

  it('exits non-zero, for its supervisor to restart it, when its Postgres cannot be started again', async () => {
    const dataDir = path.join(root, 'lost');
    const panel = await startPanelProcess({ port: await freePort(), env: { DATA_DIR: root, PG_DATA_DIR: dataDir } });
    panels.push(panel);
    const killed = (await readPostmasterFile(dataDir))!;
    process.kill(killed.pid, 'SIGKILL');
    // Its data folder goes away with it (a disk unmounted, say): every restart fails.
    await rename(dataDir, `${dataDir}.away`);
    expect(await panel.exited).toBe(1);
    expect(panel.output()).toContain('the embedded Postgres could not be started again');
    expect(panel.output()).not.toContain('Unhandled');
  }, 120_000);

  it('answers 503 with Retry-After while a DATABASE_URL server is down, and carries on when it is back', async () => {
    const dataDir = path.join(root, 'external');
    const port = await freePort();
    const external = async () => {
      const cluster = await startEmbeddedPostgres({ dataDir, port, logger: createLogger('silent') });
      clusters.push(cluster);
      return cluster;
    };
    let cluster = await external();
    await cluster.createDatabase('panel');
    const databaseUrl = cluster.urlFor('panel');
    const panel = await startPanelProcess({ port: await freePort(), env: { DATA_DIR: root, DATABASE_URL: databaseUrl }, keyServices: ['checkout'] });
    panels.push(panel);
    const fleet = await startFleet(panel.url, panel.keys.checkout!, ['ext-a']);
    fleets.push(...fleet);
    const client = await signIn(panel.url);
    // A raw reporter, to see the acknowledgement the SDK gets while the database is away.
    const agent = await connectAgent(panel.url, panel.keys.checkout!);
    const run = instanceRun('checkout', 'ext-raw');
    expect(await send(agent, 'instance:register', run.register([BREAKER]))).toMatchObject({ ok: true });
    const stirring = stirFleet(fleet);
    await pause(1_500);

    await cluster.stop();
    clusters.pop();
    const linesBefore = panel.output().split('\n').length;
    const probe = probePanel(panel.url, client.cookie, '/api/v1/audit');
    await pause(1_000);
    const refused = run.transition(BREAKER, 'CLOSED', 'OPEN');
    expect(await send(agent, 'transition:report', refused)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    // An HTTP reporter is told the same with a 503.
    const batch = await fetch(`${panel.url}/api/v1/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${panel.keys.checkout!}`, 'content-type': 'application/json' },
      body: JSON.stringify({ protocolVersion: run.ref.protocolVersion, transitions: [refused] }),
    });
    expect([batch.status, batch.headers.get('retry-after'), ((await batch.json()) as { error: { code: string } }).error.code]).toEqual([503, '5', 'unavailable']);
    await pause(3_000);
    const down = await probe.stop();
    const linesWhileDown = panel.output().split('\n').length - linesBefore;

    cluster = await external();
    await waitHealthy(panel.url);
    expect(await send(agent, 'transition:report', refused)).toMatchObject({ ok: true });
    await pause(1_500);
    stirring.stop();
    const drained = await Promise.all(fleet.map((service) => service.drain()));
    await Promise.all(fleet.map((service) => service.stop()));
    agent.disconnect();
    expect(await panel.stop()).toBe(0);

    expect(down.statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(down.statuses.get(500) ?? 0).toBe(0);
    expect(down.unavailableWithoutRetryAfter).toBe(0);
    // Every timer and every request fails alike while it is down: a handful of lines, not one per failure.
    expect(linesWhileDown).toBeLessThan(25);

    const stored = await readStoredFigures(databaseUrl, BREAKER);
    for (const service of drained) expect(transitionFaults(service, stored)).toEqual({ missing: [], duplicated: [] });
    expect(stored.transitions.get(run.ref.runId)?.get(refused.sequence)).toBe(1);
    expect(stored.counters).toEqual(reportedCounters(drained));
  }, 180_000);
});
