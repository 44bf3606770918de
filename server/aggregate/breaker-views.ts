import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerSummary, TInstanceCounts, TRecentRates } from '../../lib/api/breaker-summary.js';
import { reporterClient, type TReporterClientKind } from '../../lib/api/reporter-client.js';
import type { TOverrideView } from '../../lib/control/operator-action.js';
import { ZBreakerState, type TBreakerState } from '../../lib/protocol/breaker-state.js';
import { countRow } from './counter-deltas';
import { timeOrNull, type BreakerState } from './live-entries';
import { ratesOf, type WindowCounts } from './recent-window';
import { worseState } from './state-counts';

/** One server's part of a breaker's view, in counts that add up across servers: a summary merges every holding server's partial. */
export type BreakerPartial = Pick<TBreakerSummary, 'id' | 'service' | 'name' | 'state' | 'wouldBe' | 'stateSince' | 'lastReportAt' | 'clients'> & TInstanceCounts & { window: WindowCounts };

/** The distinct clients of a breaker's instances and how many reach this server over HTTP. */
function clientsOf(breaker: BreakerState): { kinds: TReporterClientKind[]; httpInstances: number } {
  const kinds = new Set<TReporterClientKind>();
  let httpInstances = 0;
  for (const pair of breaker.pairs.values()) {
    const { instance } = pair;
    kinds.add(reporterClient(instance.sdk, pair.config?.implementation ?? null, instance.transport).kind);
    if (instance.transport === 'http') httpInstances += 1;
  }
  return { kinds: [...kinds].sort(), httpInstances };
}

/** A breaker's partial; its window's counts go into `into` when given (a row the caller reads before it is used again). */
export function partialOf(breaker: BreakerState, at: number, into?: Float64Array): BreakerPartial {
  const byState = {} as Record<TBreakerState, number>;
  for (const state of ZBreakerState.options) byState[state] = breaker.live.of(state);
  return {
    id: breaker.id,
    service: breaker.serviceName,
    name: breaker.name,
    byState,
    wouldBe: breaker.liveWouldBe.worst(),
    total: breaker.pairs.size,
    stale: breaker.stalePairs,
    state: breaker.serviceState,
    stateSince: breaker.stateSince,
    lastReportAt: timeOrNull(breaker.lastReportAt),
    window: breaker.recent.counts(at, into),
    clients: (breaker.clients ??= clientsOf(breaker)),
  };
}

const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** A breaker's summary from the partials of the servers that hold it: counts add, the worst state wins, windows merge exactly. */
export function summaryOf(partials: readonly BreakerPartial[], at: number, extra: { demo: boolean; override: TOverrideView | null }): TBreakerSummary {
  const [first, ...others] = partials;
  if (!first) throw new Error('a summary needs at least one partial');
  const byState = { ...first.byState };
  let { total, stale, wouldBe, state, stateSince, lastReportAt } = first;
  const kinds = new Set(first.clients.kinds);
  let httpInstances = first.clients.httpInstances;
  for (const partial of others) {
    for (const key of ZBreakerState.options) byState[key] += partial.byState[key];
    total += partial.total;
    stale += partial.stale;
    wouldBe = worseState(wouldBe, partial.wouldBe);
    const worst = worseState(state, partial.state);
    // The merged state began when the server showing it saw it begin; the latest such start when several do.
    stateSince = worst === state && worst === partial.state ? latest(stateSince, partial.stateSince) : worst === state ? stateSince : partial.stateSince;
    state = worst;
    lastReportAt = latest(lastReportAt, partial.lastReportAt);
    for (const kind of partial.clients.kinds) kinds.add(kind);
    httpInstances += partial.clients.httpInstances;
  }
  return {
    id: first.id,
    service: first.service,
    name: first.name,
    state,
    wouldBe,
    instances: { total, stale, byState },
    rates: ratesOf(mergedWindow(partials), at),
    lastReportAt,
    stateSince,
    demo: extra.demo,
    override: extra.override,
    clients: others.length === 0 ? first.clients : { kinds: [...kinds].sort(), httpInstances },
  };
}

// A merged window is read at once (for its rates) and kept nowhere: one scratch row for every merge.
const MERGED = countRow();

/** The partials' windows added up: counts add, the earliest start; in a scratch row when there are several, read before the next merge. */
function mergedWindow(partials: readonly BreakerPartial[]): WindowCounts {
  const { window } = partials[0]!;
  if (partials.length === 1) return window;
  MERGED.set(window.row);
  let { width, start } = window;
  for (let p = 1; p < partials.length; p++) {
    const other = partials[p]!.window;
    for (let i = 0; i < other.width; i++) MERGED[i]! += other.row[i]!;
    width = Math.max(width, other.width);
    start = Math.min(start, other.start);
  }
  return { row: MERGED, width, start };
}

/** The merged rates and last report of a breaker's partials, without the rest of its summary (the live stream's rates-only change). */
export function mergedRates(partials: readonly BreakerPartial[], at: number): { service: string; rates: TRecentRates; lastReportAt: number | null } {
  let lastReportAt: number | null = null;
  for (const partial of partials) lastReportAt = latest(lastReportAt, partial.lastReportAt);
  return { service: partials[0]!.service, rates: ratesOf(mergedWindow(partials), at), lastReportAt };
}

/** Every instance of a breaker that has reported a state, by name. */
export function instancesOf(breaker: BreakerState): TBreakerInstance[] {
  return instanceRows(breaker).sort((a, b) => a.name.localeCompare(b.name));
}

/** Every instance of a breaker that has reported a state, in no particular order. */
export function instanceRows(breaker: BreakerState): TBreakerInstance[] {
  const rows: TBreakerInstance[] = [];
  for (const pair of breaker.pairs.values()) {
    const { instance } = pair;
    if (!pair.state) continue;
    rows.push({
      instanceId: instance.id,
      name: instance.name,
      labels: instance.labels,
      state: pair.state,
      wouldBe: pair.wouldBe,
      stale: instance.stale,
      lastReportAt: timeOrNull(pair.lastReportAt),
      stateSince: pair.stateSince,
      window: pair.window,
      config: pair.config,
      client: reporterClient(instance.sdk, pair.config?.implementation ?? null, instance.transport),
    });
  }
  return rows;
}
