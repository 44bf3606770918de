import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerSummary } from '../../lib/api/breaker-summary.js';
import { reporterClient, type TReporterClientKind } from '../../lib/api/reporter-client.js';
import type { TOverrideView } from '../../lib/control/operator-action.js';
import { ZBreakerState, type TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { BreakerState } from './live-entries';
import { ratesOf, type WindowCounts } from './recent-window';
import { worseState } from './state-counts';

/** One server's part of a breaker's view, in counts that add up across servers: a summary merges every holding server's partial. */
export interface BreakerPartial {
  id: string;
  service: string;
  name: string;
  byState: Record<TBreakerState, number>;
  wouldBe: TBreakerState | null;
  total: number;
  stale: number;
  state: TBreakerState | null;
  stateSince: number | null;
  lastReportAt: number | null;
  window: WindowCounts;
  clients: { kinds: TReporterClientKind[]; httpInstances: number };
}

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

export function partialOf(breaker: BreakerState, at: number): BreakerPartial {
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
    lastReportAt: breaker.lastReportAt,
    window: breaker.recent.counts(at),
    clients: (breaker.clients ??= clientsOf(breaker)),
  };
}

const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** A breaker's summary from the partials of the servers that hold it: counts add, the worst state wins, windows merge exactly. */
export function summaryOf(partials: readonly BreakerPartial[], at: number, extra: { demo: boolean; override: TOverrideView | null }): TBreakerSummary {
  const [first, ...others] = partials;
  if (!first) throw new Error('a summary needs at least one partial');
  const byState = { ...first.byState };
  let { total, stale, wouldBe, state, stateSince, lastReportAt, window } = first;
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
    window = mergeWindows(window, partial.window);
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
    rates: ratesOf(window, at),
    lastReportAt,
    stateSince,
    demo: extra.demo,
    override: extra.override,
    clients: others.length === 0 ? first.clients : { kinds: [...kinds].sort(), httpInstances },
  };
}

function mergeWindows(a: WindowCounts, b: WindowCounts): WindowCounts {
  const row = new Float64Array(a.row);
  for (let i = 0; i < b.width; i++) row[i]! += b.row[i]!;
  return { row, width: Math.max(a.width, b.width), start: Math.min(a.start, b.start) };
}

/** Every instance of a breaker that has reported a state, by name. */
export function instancesOf(breaker: BreakerState): TBreakerInstance[] {
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
      lastReportAt: pair.lastReportAt,
      stateSince: pair.stateSince,
      window: pair.window,
      config: pair.config,
      client: reporterClient(instance.sdk, pair.config?.implementation ?? null, instance.transport),
    });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
