// Built once: `toLocaleString` with options builds a formatter per call, and a week of lanes has thousands of hovers to label.
const LOCAL_TIME = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A moment in the viewer's time zone, short. */
export function localTime(ms: number): string {
  return LOCAL_TIME.format(ms);
}

const TICK_SECONDS = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const TICK_MINUTES = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const TICK_DAYS = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** A time-axis label as short as the range allows, so that seven fit side by side: seconds only under ten minutes, the date only past a day. */
export function tickLabel(ms: number, spanMs: number): string {
  if (spanMs < 10 * 60_000) return TICK_SECONDS.format(ms);
  if (spanMs <= 24 * 3_600_000) return TICK_MINUTES.format(ms);
  return TICK_DAYS.format(ms);
}

/** The same moment in UTC, for hovers: post-mortems are written across time zones. */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 23)} UTC`;
}

/** A rate in percent, or a dash. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${rate.toFixed(1)} %`;
}
