import type { AckedTotals, PhaseStats } from './messages';

/** One measured window of a fleet phase: what the fleet saw, and the cores each set of processes kept busy meanwhile. */
export interface PhaseResult {
  stats: PhaseStats;
  totals: AckedTotals;
  cores: Record<string, number>;
  /** Breaker-reports acknowledged per second over the window. */
  rate: number;
}

export type LoopServer = 'panel' | 'ceiling';

/**
 * The closed-loop windows of each server stay this short or shorter: a slow
 * drift of the machine then falls on both alike. Not shorter: every window
 * adds a warm-up, and the panel's RSS climbs for as long as it is
 * overloaded (four windows of 5 s took its peak to 490–498 MB in three runs
 * of five, two of 10 s to 463–490 MB).
 */
const LONGEST_WINDOW_MS = 10_000;

/**
 * How the two closed loops share the run: each server gets `closedMs` of
 * measurement, cut into an even number of windows of at most ten seconds,
 * taken in turn in the order P C C P P C C P … Two loops minutes apart had
 * measured two different machines: the fleet's CPU per report (the same work
 * against either server) differed by up to 30% between them. Alternating
 * short windows, in this order, makes a drift that is steady over the run
 * weigh the same on both.
 */
export function closedLoopSchedule(closedMs: number): { windowMs: number; order: LoopServer[] } {
  const windowsEach = Math.max(2, 2 * Math.ceil(closedMs / (2 * LONGEST_WINDOW_MS)));
  const order: LoopServer[] = [];
  for (let pair = 0; pair < windowsEach; pair++) order.push(...(pair % 2 === 0 ? (['panel', 'ceiling'] as const) : (['ceiling', 'panel'] as const)));
  return { windowMs: closedMs / windowsEach, order };
}

/** Several windows of one server read as one: counts add up, rates and cores are over the windows' total time, latencies are the slowest window's. */
export function combineWindows(windows: readonly PhaseResult[]): PhaseResult & { windowRates: number[] } {
  if (windows.length === 0) throw new RangeError('combineWindows: no window');
  const sum = (pick: (stats: PhaseStats) => number) => windows.reduce((total, window) => total + pick(window.stats), 0);
  const slowest = (pick: (stats: PhaseStats) => number | null) => windows.reduce<number | null>((worst, window) => Math.max(worst ?? -Infinity, pick(window.stats) ?? -Infinity), null);
  const first = windows[0]!.stats;
  const windowMs = sum((stats) => stats.windowMs);
  const stats: PhaseStats = {
    windowMs,
    sentInWindow: sum((stats) => stats.sentInWindow),
    ackedInWindow: sum((stats) => stats.ackedInWindow),
    breakersPerReport: first.breakersPerReport,
    errors: sum((stats) => stats.errors),
    firstError: windows.find((window) => window.stats.firstError !== null)?.stats.firstError ?? null,
    skipped: sum((stats) => stats.skipped),
    ackedBySlice: windows.flatMap((window) => window.stats.ackedBySlice),
    ackP50Ms: slowest((stats) => stats.ackP50Ms),
    ackP99Ms: slowest((stats) => stats.ackP99Ms),
    unacknowledged: sum((stats) => stats.unacknowledged),
    probes: windows.flatMap((window) => window.stats.probes),
  };
  // Every window is measured for its own length: cores weighted by it are the cores over all of them.
  const cores: Record<string, number> = {};
  for (const name of Object.keys(windows[0]!.cores)) cores[name] = windows.reduce((total, window) => total + (window.cores[name] ?? NaN) * window.stats.windowMs, 0) / windowMs;
  return {
    stats,
    // The fleet's totals are cumulative: the last window's are the sums.
    totals: windows[windows.length - 1]!.totals,
    cores,
    rate: (stats.ackedInWindow * stats.breakersPerReport) / (windowMs / 1000),
    windowRates: windows.map((window) => window.rate),
  };
}
