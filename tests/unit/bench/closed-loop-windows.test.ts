import { describe, expect, it } from 'vitest';
import { closedLoopSchedule, combineWindows, type PhaseResult } from '../../../scripts/bench/closed-loop-windows';

const window = (acked: number, windowMs: number, cores: Record<string, number>, ackP99Ms: number, reports: number): PhaseResult => ({
  stats: {
    windowMs,
    sentInWindow: acked + 1,
    ackedInWindow: acked,
    breakersPerReport: 50,
    errors: 0,
    firstError: null,
    skipped: 0,
    ackedBySlice: [acked],
    ackP50Ms: ackP99Ms / 10,
    ackP99Ms,
    unacknowledged: 0,
    probes: [],
  },
  totals: { counters: reports * 7, histogram: reports * 5, reports },
  cores,
  rate: (acked * 50) / (windowMs / 1000),
});

describe('closedLoopSchedule', () => {
  it('cuts each server’s time into an even number of windows of at most 10 s, in the order P C C P …', () => {
    expect(closedLoopSchedule(20_000)).toEqual({ windowMs: 10_000, order: ['panel', 'ceiling', 'ceiling', 'panel'] });
    const { windowMs, order } = closedLoopSchedule(40_000);
    expect(windowMs).toBe(10_000);
    expect(order.join(' ')).toBe('panel ceiling ceiling panel panel ceiling ceiling panel');
  });

  it('gives each server the same measured time whatever the length asked for', () => {
    for (const closedMs of [4_000, 7_000, 20_000, 33_000, 61_000]) {
      const { windowMs, order } = closedLoopSchedule(closedMs);
      const panels = order.filter((server) => server === 'panel').length;
      expect(panels).toBe(order.length / 2);
      expect(panels % 2).toBe(0);
      expect(panels * windowMs).toBeCloseTo(closedMs);
      expect(windowMs).toBeLessThanOrEqual(10_000);
    }
  });
});

describe('combineWindows', () => {
  it('adds counts, weighs cores by time, keeps the slowest window’s latency and the last totals', () => {
    const combined = combineWindows([window(1_000, 5_000, { server: 1, fleet: 0.5 }, 300, 10_000), window(3_000, 15_000, { server: 0.6, fleet: 0.9 }, 700, 13_000)]);
    expect(combined.stats.ackedInWindow).toBe(4_000);
    expect(combined.stats.windowMs).toBe(20_000);
    expect(combined.rate).toBe((4_000 * 50) / 20);
    expect(combined.windowRates).toEqual([10_000, 10_000]);
    expect(combined.cores.server).toBeCloseTo(0.7);
    expect(combined.cores.fleet).toBeCloseTo(0.8);
    expect(combined.stats.ackP99Ms).toBe(700);
    expect(combined.totals.reports).toBe(13_000);
  });
});
