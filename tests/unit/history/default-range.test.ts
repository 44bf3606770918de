import { describe, expect, it } from 'vitest';
import { defaultRange, followEveryMs, hasRange, PRESETS } from '../../../app/history/history-url';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const now = Date.UTC(2026, 11, 3, 12, 0, 0);
const fittingPreset = (earliest: number | null, at: number) => defaultRange(earliest, at).preset;

describe('the range the history opens on', () => {
  it('fits a new install’s first minutes instead of a sliver of a day', () => {
    expect(fittingPreset(now - 10 * MINUTE, now)).toBe('15m');
    expect(fittingPreset(now - 40 * MINUTE, now)).toBe('1h');
    expect(fittingPreset(now - 5 * HOUR, now)).toBe('6h');
  });

  it('leaves room before the first data: data filling all but the last tenth of a preset takes the next one', () => {
    expect(fittingPreset(now - 13.5 * MINUTE, now)).toBe('15m');
    expect(fittingPreset(now - 13.7 * MINUTE, now)).toBe('1h');
    expect(fittingPreset(now - 4.6 * MINUTE, now)).toBe('15m');
  });

  it('shows data younger than the smallest preset from just before it, so seconds of data fill most of the lane', () => {
    expect(defaultRange(now - 20_000, now)).toEqual({ preset: null, from: now - 25_000, to: now });
    expect(defaultRange(now - 2_000, now)).toEqual({ preset: null, from: now - 10_000, to: now });
    expect(defaultRange(now - 2 * MINUTE, now)).toEqual({ preset: null, from: now - 2 * MINUTE - 12_000, to: now });
    expect(defaultRange(now - 4.5 * MINUTE, now)).toEqual({ preset: null, from: now - 4.5 * MINUTE - 27_000, to: now });
    // Data stamped after the clock (a skewed server) is brand new.
    expect(defaultRange(now + MINUTE, now)).toEqual({ preset: null, from: now - 10_000, to: now });
  });

  it('opens on a day at most, however old the data, and on an hour before any data', () => {
    expect(fittingPreset(now - 23 * HOUR, now)).toBe('24h');
    expect(fittingPreset(now - 90 * 24 * HOUR, now)).toBe('24h');
    expect(fittingPreset(null, now)).toBe('1h');
  });

  it('lets a range in the URL win over the fitting one', () => {
    expect(hasRange(new URLSearchParams('range=7d'))).toBe(true);
    expect(hasRange(new URLSearchParams('from=1&to=2'))).toBe(true);
    expect(hasRange(new URLSearchParams('service=checkout'))).toBe(false);
    expect(hasRange(new URLSearchParams('range=2y'))).toBe(false);
    expect(Object.keys(PRESETS)).toEqual(['5m', '15m', '1h', '6h', '24h', '7d', '30d']);
  });
});

describe('how often a view that ends now asks again', () => {
  it('moves about a 360th of its span, between every 5 s and every minute', () => {
    expect(followEveryMs(PRESETS['5m'].ms)).toBe(5_000);
    expect(followEveryMs(PRESETS['1h'].ms)).toBe(10_000);
    expect(followEveryMs(PRESETS['6h'].ms)).toBe(60_000);
    expect(followEveryMs(PRESETS['30d'].ms)).toBe(60_000);
    expect(followEveryMs(10_000)).toBe(5_000);
  });
});
