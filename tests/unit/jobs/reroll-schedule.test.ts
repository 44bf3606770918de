import { describe, expect, it } from 'vitest';
import { FULL_REROLL, rerollSchedule } from '../../../server/jobs/rollup-and-retention';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('rerollSchedule', () => {
  it('goes back far on the first run and every fifteenth, otherwise rolls the minutes and the hour just ended', () => {
    const windows = rerollSchedule();
    const start = 10 * HOUR + 50 * MINUTE + 30_000;
    const runs = Array.from({ length: 16 }, (_, index) => windows(start + index * MINUTE));
    expect(runs[0]).toEqual(FULL_REROLL);
    expect(runs[1]).toEqual({ minutesMs: 2 * MINUTE, hoursMs: 0 });
    // 11:00:30 is the first run after 11:00: the hour 10:00–11:00 is complete.
    expect(runs[10]).toEqual({ minutesMs: 2 * MINUTE, hoursMs: HOUR });
    expect(runs[11]).toEqual({ minutesMs: 2 * MINUTE, hoursMs: 0 });
    expect(runs[15]).toEqual(FULL_REROLL);
    // Every run rolls the minutes again at least as far back as the one before it ended.
    expect(runs.every((run) => run.minutesMs >= 2 * MINUTE)).toBe(true);
  });
});
