import { waitHealthy } from '../../tests/fixtures/outage-probe';
import type { ChaosPhase } from './chaos-context';

/** SIGKILL of the panel, then the same start command on the same data folder, as a supervisor would run it. */
export const killPanel: ChaosPhase = {
  name: 'kill -9 the panel',
  async run(context) {
    const killedAt = performance.now();
    await context.panel().kill();
    const panel = await context.restartPanel();
    await waitHealthy(panel.url);
    context.recordRecovery('panel killed', performance.now() - killedAt);
  },
};
