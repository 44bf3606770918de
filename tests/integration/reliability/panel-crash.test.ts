import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger';
import { freePort, startEmbeddedPostgres } from '../../../server/store/embedded-postgres';
import { readPostmasterFile } from '../../../server/store/embedded/postmaster-file';
import { pidAlive } from '../../../server/store/embedded/process-liveness';
import { EMBEDDED_DATABASE } from '../../../server/store/open-database';
import { startPanelProcess, type PanelProcess } from '../../fixtures/panel-process';
import type { SdkServiceProcess } from '../../fixtures/sdk-service-process';
import { BREAKER, pause, startFleet, stirFleet } from '../../fixtures/reliability-fleet';
import { readStoredFigures, reportedCounters, transitionFaults } from '../../fixtures/stored-figures';

// Real processes throughout: the panel (embedded Postgres in a temp folder) and SDK services, killed with SIGKILL.
describe('a panel killed with -9', () => {
  let root: string;
  let dataDir: string;
  let port: number;
  const panels: PanelProcess[] = [];
  let fleet: SdkServiceProcess[] = [];

  beforeAll(async () => {
    // In the system temp dir, which the unprivileged postgres user can reach when the tests run as root.
    root = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-crash-'));
    await chmod(root, 0o755);
    dataDir = path.join(root, 'postgres');
    port = await freePort();
  });

  afterAll(async () => {
    await Promise.all(fleet.map((service) => service.stop()));
    for (const panel of panels) await panel.stop();
    await rm(root, { recursive: true, force: true });
  });

  const env = () => ({ DATA_DIR: root, PG_DATA_DIR: dataDir });

  it('starts again on its data folder by itself, losing no acknowledged transition and no count', async () => {
    const first = await startPanelProcess({ port, env: env(), keyServices: ['checkout'] });
    panels.push(first);

    // A data folder whose panel is alive is refused to a second panel.
    await expect(startPanelProcess({ port: await freePort(), env: env() })).rejects.toThrow(/in use by a running Breaker Panel/);

    fleet = await startFleet(first.url, first.keys.checkout!, ['crash-a', 'crash-b']);
    const stirring = stirFleet(fleet);
    await pause(3_000);
    const orphan = await readPostmasterFile(dataDir);
    await first.kill();
    await pause(1_000);

    // No person clears anything: the same command on the same folder starts it, while the fleet keeps failing and recovering.
    const second = await startPanelProcess({ port, env: env() });
    panels.push(second);
    expect(orphan && pidAlive(orphan.pid)).toBe(false);
    await pause(3_000);
    stirring.stop();
    const drained = await Promise.all(fleet.map((service) => service.drain()));
    await Promise.all(fleet.map((service) => service.stop()));
    expect(await second.stop()).toBe(0);

    const cluster = await startEmbeddedPostgres({ dataDir, port: 0, logger: createLogger('silent') });
    try {
      const stored = await readStoredFigures(cluster.urlFor(EMBEDDED_DATABASE), BREAKER);
      for (const service of drained) {
        expect(service.status.pendingTransitions).toBe(0);
        expect(service.status.transitionSequence).toBeGreaterThan(2);
        expect(transitionFaults(service, stored)).toEqual({ missing: [], duplicated: [] });
      }
      expect(stored.counters).toEqual(reportedCounters(drained));
    } finally {
      await cluster.stop();
    }
  }, 240_000);
});
