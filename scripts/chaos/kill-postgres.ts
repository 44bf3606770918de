import { waitHealthy } from '../../tests/fixtures/outage-probe';
import { readPostmasterFile } from '../../server/store/embedded/postmaster-file';
import type { ChaosPhase } from './chaos-context';

/** SIGKILL of the embedded Postgres's postmaster under load; the panel must start it again by itself. */
export const killPostgres: ChaosPhase = {
  name: 'kill -9 the embedded Postgres',
  async run(context) {
    const postmaster = await readPostmasterFile(context.dataDir);
    if (!postmaster) throw new Error('no postmaster.pid: is the embedded Postgres running?');
    const killedAt = performance.now();
    process.kill(postmaster.pid, 'SIGKILL');
    // Health answers 200 from the old connection pool for a moment: wait for the new postmaster, then for health.
    for (;;) {
      const now = await readPostmasterFile(context.dataDir);
      if (now && now.pid !== postmaster.pid && now.status === 'ready') break;
      if (context.panel().child.exitCode !== null) throw new Error('the panel exited after its Postgres was killed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await waitHealthy(context.panel().url);
    context.recordRecovery('Postgres killed', performance.now() - killedAt);
  },
};
