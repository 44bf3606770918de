import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatCount, formatDuration, formatLatency, formatOptionalDuration } from '../../../lib/format/humanize';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatDuration', () => {
  it('reads a day-long open timeout as 24 h, not a count of milliseconds', () => {
    expect(formatDuration(86_400_000)).toBe('24 h');
  });

  it('keeps milliseconds under a second, with a decimal only for tiny latencies', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(2.34)).toBe('2.3 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(999.4)).toBe('999 ms');
  });

  it('rounds up across a unit boundary instead of writing 1000 ms or 60 s', () => {
    expect(formatDuration(999.6)).toBe('1 s');
    expect(formatDuration(59.6 * SECOND)).toBe('1 min');
  });

  it('gives seconds a decimal below ten and whole seconds above', () => {
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(5 * SECOND)).toBe('5 s');
    expect(formatDuration(42_400)).toBe('42 s');
  });

  it('uses two units at most and leaves out a zero second part', () => {
    expect(formatDuration(3 * MINUTE + 5 * SECOND)).toBe('3 min 5 s');
    expect(formatDuration(30 * MINUTE)).toBe('30 min');
    expect(formatDuration(2 * HOUR + 10 * MINUTE + 59 * SECOND)).toBe('2 h 10 min');
    expect(formatDuration(47 * HOUR)).toBe('47 h');
    expect(formatDuration(3 * DAY + 4 * HOUR + 30 * MINUTE)).toBe('3 d 4 h');
    expect(formatDuration(7 * DAY)).toBe('7 d');
  });

  it('reads a negative duration as its size and a non-number as a dash', () => {
    expect(formatDuration(-1500)).toBe('1.5 s');
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('says off for a switched-off setting and a dash for an unmeasured latency', () => {
    expect(formatOptionalDuration(null)).toBe('off');
    expect(formatOptionalDuration(60_000)).toBe('1 min');
    expect(formatLatency(null)).toBe('–');
    expect(formatLatency(12.5)).toBe('13 ms');
  });
});

describe('formatAgo', () => {
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);
  it('counts back from now in the largest whole unit', () => {
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo(now - 400, now)).toBe('just now');
    expect(formatAgo(now + 5 * SECOND, now)).toBe('just now');
    expect(formatAgo(now - 42 * SECOND, now)).toBe('42 s ago');
    expect(formatAgo(now - 3 * MINUTE - 50 * SECOND, now)).toBe('3 min ago');
    expect(formatAgo(now - 5 * HOUR, now)).toBe('5 h ago');
    expect(formatAgo(now - 3 * DAY, now)).toBe('3 d ago');
  });
});

describe('formatBytes', () => {
  it('uses SI units with at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1 kB');
    expect(formatBytes(1536)).toBe('1.54 kB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(999_999)).toBe('1 MB');
    expect(formatBytes(3_420_000_000)).toBe('3.42 GB');
    expect(formatBytes(5e15)).toBe('5000 TB');
  });

  it('writes a dash for a size that is not a number', () => {
    expect(formatBytes(Number.NaN)).toBe('–');
  });
});

describe('formatCount', () => {
  it('groups thousands the same in every locale', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1_234_567.4)).toBe('1,234,567');
  });
});
