import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../../../server/sources/concurrency-limit';
import { startTargetPoller } from '../../../server/sources/target-poller';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('target poller', () => {
  it('reads at the interval while the target answers, and waits longer and longer while it fails', async () => {
    const starts: number[] = [];
    let failing = true;
    const poller = startTargetPoller({
      intervalMs: 40,
      limit: createConcurrencyLimit(4),
      maxBackoffMs: 400,
      random: () => 1,
      poll: async () => {
        starts.push(Date.now());
        if (failing) throw new Error('connection refused');
      },
    });
    await sleep(900);
    const failingGaps = starts.slice(1).map((at, index) => at - starts[index]!);
    // With the jitter's random part at its top: 40, 80, 160, 320 ms.
    expect(failingGaps[1]!).toBeGreaterThanOrEqual(75);
    expect(failingGaps[2]!).toBeGreaterThanOrEqual(155);
    expect(poller.failures).toBeGreaterThanOrEqual(3);
    failing = false;
    await sleep(800);
    const healthyFrom = starts.length;
    await sleep(400);
    poller.stop();
    const healthy = starts.slice(healthyFrom - 1);
    const gaps = healthy.slice(1).map((at, index) => at - healthy[index]!);
    expect(poller.failures).toBe(0);
    // Back at the interval, not at the 320–400 ms a failing target waits (the median, as a loaded machine delays timers).
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
    expect(median).toBeLessThan(200);
    const stoppedAt = starts.length;
    await sleep(200);
    expect(starts.length).toBe(stoppedAt);
  });

  it('keeps reads in flight within the limit', async () => {
    const limit = createConcurrencyLimit(2);
    let active = 0;
    let peak = 0;
    const work = () =>
      limit.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await sleep(20);
        active -= 1;
      });
    await Promise.all(Array.from({ length: 10 }, work));
    expect(peak).toBe(2);
    expect(limit.stats()).toEqual({ active: 0, waiting: 0 });
  });
});
