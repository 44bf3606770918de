/** The range presets of the history page, newest data first. */
export const PRESETS = {
  '5m': { label: '5 min', ms: 5 * 60_000 },
  '15m': { label: '15 min', ms: 15 * 60_000 },
  '1h': { label: '1 h', ms: 3_600_000 },
  '6h': { label: '6 h', ms: 6 * 3_600_000 },
  '24h': { label: '24 h', ms: 24 * 3_600_000 },
  '7d': { label: '7 d', ms: 7 * 24 * 3_600_000 },
  '30d': { label: '30 d', ms: 30 * 24 * 3_600_000 },
} as const;

/** A range preset. */
export type Preset = keyof typeof PRESETS;

/** What the history page shows, all of it in the URL so that a view can be shared in a post-mortem. */
export interface HistoryView {
  from: number;
  to: number;
  /** Set when the range follows a preset (ending now); null for a custom or zoomed range. */
  preset: Preset | null;
  service: string | null;
  breaker: string | null;
}

const isPreset = (value: string | null): value is Preset => value !== null && value in PRESETS;

/** The page's query names its range (a preset or from/to); without one, the page picks a range that fits the data. */
export function hasRange(params: URLSearchParams): boolean {
  return isPreset(params.get('range')) || (params.has('from') && params.has('to'));
}

// Opening on more than a day hides today's incidents among older ones: a longer history is one click away.
const LONGEST_DEFAULT: Preset = '24h';
// The data starts a little in from the left edge, so its first moments are not hidden under the axis label.
const MARGIN = 1.1;
// Data younger than the smallest preset is shown from just before it: a minute of data would be a sliver even of 5 min.
const SHORTEST_FIT_MS = 10_000;
const FIT_PAD_MS = 5_000;

/** The range the page opens on: a preset that follows now, or a fixed range around data younger than the smallest preset. */
export type DefaultRange = { preset: Preset } | { preset: null; from: number; to: number };

/**
 * The range the page opens on, from the first data of the view's filters:
 * the smallest preset that holds every moment since `earliest`, at most a
 * day; for data younger than the smallest preset, from just before it to
 * now; an hour when there is no data yet.
 */
export function defaultRange(earliest: number | null, now: number): DefaultRange {
  if (earliest === null) return { preset: '1h' };
  const needed = Math.max(0, now - earliest) * MARGIN;
  const presets = Object.keys(PRESETS) as Preset[];
  const shortest = PRESETS[presets[0]!].ms;
  if (needed < shortest) {
    const from = Math.min(earliest - Math.max(FIT_PAD_MS, (now - earliest) * (MARGIN - 1)), now - SHORTEST_FIT_MS);
    return { preset: null, from, to: now };
  }
  const longest = PRESETS[LONGEST_DEFAULT].ms;
  return { preset: presets.find((key) => PRESETS[key].ms >= needed && PRESETS[key].ms <= longest) ?? LONGEST_DEFAULT };
}

/** Reads the view from the page's query: `range=<preset>` or `from`/`to` (epoch ms), plus `service` and `breaker`. */
export function viewFromParams(params: URLSearchParams, now: number): HistoryView {
  const service = params.get('service') || null;
  const breaker = params.get('breaker') || null;
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && to > from) return { from, to, preset: null, service, breaker };
  const preset: Preset = isPreset(params.get('range')) ? (params.get('range') as Preset) : '24h';
  return { from: now - PRESETS[preset].ms, to: now, preset, service, breaker };
}

/** The page's query for a view (a preset stays relative to now). */
export function queryFor(view: Pick<HistoryView, 'preset' | 'from' | 'to' | 'service' | 'breaker'>): string {
  const params = new URLSearchParams();
  if (view.preset) params.set('range', view.preset);
  else {
    params.set('from', String(Math.round(view.from)));
    params.set('to', String(Math.round(view.to)));
  }
  if (view.service) params.set('service', view.service);
  if (view.breaker) params.set('breaker', view.breaker);
  return params.toString();
}

// A view that ends now is asked for again about 360 times per span, between every 5 s and every minute.
const FOLLOW_STEPS_PER_SPAN = 360;
const FOLLOW_FASTEST_MS = 5_000;
const FOLLOW_SLOWEST_MS = 60_000;

/** How often a view that ends now (a preset, or the range fitted to the data) asks for its data again. */
export function followEveryMs(spanMs: number): number {
  return Math.min(FOLLOW_SLOWEST_MS, Math.max(FOLLOW_FASTEST_MS, Math.round(spanMs / FOLLOW_STEPS_PER_SPAN)));
}

/** The API filters of a view (what the timeline, incidents and exports are asked for). */
export function apiFilters(view: HistoryView): string {
  const params = new URLSearchParams({ from: String(Math.round(view.from)), to: String(Math.round(view.to)) });
  if (view.service) params.set('service', view.service);
  if (view.breaker) params.set('breaker', view.breaker);
  return params.toString();
}

// The breaker detail's ranges end now: pick the smallest one that still reaches back to the moment.
const DETAIL_RANGES = [
  ['live', 15 * 60_000],
  ['1h', 3_600_000],
  ['6h', 6 * 3_600_000],
  ['24h', 24 * 3_600_000],
  ['7d', 7 * 24 * 3_600_000],
] as const;

/** A link to a breaker's detail page whose range covers `at` (its `at` parameter marks the moment). */
export function breakerLink(breakerId: string, at: number, now: number): string {
  const range = DETAIL_RANGES.find(([, ms]) => now - at + 60_000 <= ms)?.[0] ?? '7d';
  return `/breakers/${breakerId}?${range === 'live' ? '' : `range=${range}&`}at=${Math.round(at)}`;
}
