import { afterEach, describe, expect, it } from 'vitest';
import { createDueTasks } from '../../../server/jobs/due-tasks';

describe('due tasks', () => {
  let tasks: ReturnType<typeof createDueTasks> | undefined;
  afterEach(() => tasks?.stop());

  it('run from runDue() once their period has passed, however busy the loop, and not twice within a period', () => {
    let clock = 0;
    tasks = createDueTasks(() => clock);
    const ran: string[] = [];
    tasks.every(250, () => ran.push(`publish@${clock}`));
    tasks.every(1_000, () => ran.push(`flush@${clock}`));
    // A flood: reports arrive every 50 ms and no timer gets to fire.
    for (clock = 50; clock <= 1_100; clock += 50) tasks.runDue();
    expect(ran).toEqual(['publish@250', 'publish@500', 'publish@750', 'publish@1000', 'flush@1000']);
  });

  it('run from their own timer when no report comes', async () => {
    tasks = createDueTasks();
    let runs = 0;
    tasks.every(40, () => (runs += 1));
    await expect.poll(() => runs, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  });
});
