// Durations, sizes and counts as an operator reads them. Imports nothing, so the browser, the server and the SDK may all use it.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Fixed to English grouping: the UI is written in English, and a count reads the same on every screen and in every test.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A whole count with thousands separators: 1234 → "1,234". */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** `big unit` then `small unit`, leaving out a small part of zero: "24 h", "2 h 10 min". */
function twoUnits(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

/**
 * A duration in the largest units that keep it exact enough to act on, at
 * most two of them: 850 ms, 1.5 s, 42 s, 3 min 5 s, 24 h, 2 h 10 min, 3 d 4 h.
 * Negative durations read as their size; a non-finite one as a dash.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const size = Math.abs(ms);
  if (size < 999.5) return size < 10 ? `${Number(size.toFixed(1))} ms` : `${Math.round(size)} ms`;
  if (size < 9.95 * SECOND) return `${Number((size / SECOND).toFixed(1))} s`;
  const seconds = Math.round(size / SECOND);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return twoUnits(minutes, 'min', seconds % 60, 's');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return twoUnits(hours, 'h', minutes % 60, 'min');
  return twoUnits(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

/** A duration that may be switched off (a threshold or timeout of null). */
export function formatOptionalDuration(ms: number | null, off = 'off'): string {
  return ms === null ? off : formatDuration(ms);
}

/** A latency, or a dash when there was no call to measure. Same units as {@link formatDuration}. */
export function formatLatency(ms: number | null): string {
  return ms === null ? '–' : formatDuration(ms);
}

/** How long ago `at` was, from `now`: "just now", "42 s ago", "3 min ago", "2 h ago", "3 d ago"; "never" for none. */
export function formatAgo(at: number | null, now: number): string {
  if (at === null) return 'never';
  const elapsed = Math.max(0, now - at);
  if (elapsed < SECOND) return 'just now';
  if (elapsed < MINUTE) return `${Math.round(elapsed / SECOND)} s ago`;
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < 2 * DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  return `${Math.floor(elapsed / DAY)} d ago`;
}

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** A size in bytes with SI units (1 kB = 1000 B), three significant digits at most: 512 B, 1.5 kB, 12 MB, 3.42 GB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (Math.abs(bytes) < 1000) return `${Math.round(bytes)} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (Math.abs(value) >= 999.5 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${BYTE_UNITS[unit]}`;
}
