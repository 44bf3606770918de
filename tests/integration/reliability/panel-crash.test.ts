import { readdirSync, readFileSync } from 'node:fs';
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

/** The panel's watchdog processes: its children running the shell that waits on the pipe (Linux's /proc). */
function watchdogsOf(panelPid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === panelPid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('while read -r line');
      } catch {
        return false;
      }
    })
    .map(Number);
}

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

    // The watchdog stops the Postgres the dead panel leaves behind.
    const left = (await readPostmasterFile(dataDir))!;
    await first.kill();
    while (pidAlive(left.pid)) await pause(100);

    // No person clears anything: the same command on the same folder starts it, while the fleet keeps failing and recovering.
    const second = await startPanelProcess({ port, env: env() });
    panels.push(second);
    await pause(3_000);

    // Killed together with its watchdog (as an OOM killer or `kill -9 -<group>` might), a panel leaves Postgres running: the next start stops it.
    const orphan = (await readPostmasterFile(dataDir))!;
    for (const watchdog of watchdogsOf(second.child.pid!)) process.kill(watchdog, 'SIGKILL');
    await second.kill();
    await pause(500);
    expect(pidAlive(orphan.pid)).toBe(true);
    const third = await startPanelProcess({ port, env: env() });
    panels.push(third);
    expect(third.output()).toContain('stopping the embedded Postgres left running by a panel that died');
    expect(pidAlive(orphan.pid)).toBe(false);
    await pause(3_000);

    stirring.stop();
    const drained = await Promise.all(fleet.map((service) => service.drain()));
    await Promise.all(fleet.map((service) => service.stop()));
    expect(await third.stop()).toBe(0);

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
