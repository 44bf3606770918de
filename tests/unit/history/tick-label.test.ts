import { describe, expect, it } from 'vitest';
import { localTime, tickLabel } from '../../../components/history/format-time';

const at = Date.UTC(2026, 10, 23, 12, 34, 56);
const MINUTE = 60_000;

describe('history axis labels', () => {
  it('say no more than the range needs: seconds only under ten minutes, the date only past a day', () => {
    const fiveMinutes = tickLabel(at, 5 * MINUTE);
    const oneHour = tickLabel(at, 60 * MINUTE);
    const week = tickLabel(at, 7 * 24 * 60 * MINUTE);
    expect(fiveMinutes.length).toBeGreaterThan(oneHour.length);
    expect(week.length).toBeGreaterThan(oneHour.length);
    // The week's label has the date the hour's lacks; both are shorter than a hover's full local time.
    expect(week).toContain(new Intl.DateTimeFormat(undefined, { month: 'short' }).format(at));
    expect(oneHour).not.toContain(new Intl.DateTimeFormat(undefined, { month: 'short' }).format(at));
    expect(week.length).toBeLessThan(localTime(at).length);
  });
});
