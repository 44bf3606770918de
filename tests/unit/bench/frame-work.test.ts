import { describe, expect, it } from 'vitest';
import { frameWork, longestTaskCpu, type TraceEvent } from '../../../scripts/bench/frame-work';

const begin = (ts: number, tid = 1): TraceEvent => ({ name: 'BeginMainThreadFrame', ph: 'I', ts, pid: 7, tid });
const task = (ts: number, dur: number, tid = 1): TraceEvent => ({ name: 'RunTask', ph: 'X', ts, dur, pid: 7, tid });

describe('frameWork', () => {
  it('sums the main thread tasks between frame starts, cutting those that span a start', () => {
    const events = [
      begin(0),
      begin(16_000),
      begin(32_000),
      begin(48_000),
      task(1_000, 2_000),
      task(10_000, 10_000),
      task(40_000, 500),
      // Another thread's frames and tasks (fewer frames) are not the page's main thread.
      begin(5_000, 2),
      task(0, 48_000, 2),
    ];
    expect(frameWork(events)).toEqual([2 + 6, 4, 0.5]);
  });

  it('gives nothing without two frame starts', () => {
    expect(frameWork([task(0, 1_000)])).toEqual([]);
    expect(frameWork([begin(0), task(0, 1_000)])).toEqual([]);
  });

  it("finds the main thread's task that took the most CPU time, whatever its wall time", () => {
    const cpu = (ts: number, dur: number, tdur: number, tid = 1): TraceEvent => ({ ...task(ts, dur, tid), tdur });
    const events = [begin(0), begin(16_000), begin(32_000), cpu(0, 90_000, 12_000), cpu(100_000, 30_000, 25_000), begin(0, 2), cpu(0, 80_000, 70_000, 2)];
    expect(longestTaskCpu(events)).toBe(25);
    expect(longestTaskCpu([])).toBe(0);
  });
});
