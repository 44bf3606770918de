import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerSummary } from '../../lib/api/breaker-summary.js';
import type { TOverrideView } from '../../lib/control/operator-action.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TReport, TWindowSnapshot } from '../../lib/protocol/breaker-report.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { TLabels } from '../../lib/protocol/identity.js';
import type { TTransition } from '../../lib/protocol/transition.js';
import { emptyCounts, isEmpty, takeDelta, type Counts } from './counter-deltas';
import { PendingWrites } from './pending-writes';
import { RecentWindow } from './recent-window';
import { worseState, worstState } from './service-state';

/** One breaker on one instance. */
interface PairState {
  breakerId: string;
  instanceId: string;
  state: TBreakerState | null;
  wouldBe: TBreakerState | null;
  stateSince: number | null;
  window: TWindowSnapshot | null;
  config: TBreakerConfig | null;
  lastReportAt: number | null;
  /** Cumulative totals of the current run, to derive deltas from; null until a baseline is known. */
  totals: Counts | null;
}

interface InstanceState {
  id: string;
  serviceId: string;
  serviceName: string;
  name: string;
  labels: TLabels;
  runId: string | null;
  lastSeenAt: number | null;
  stale: boolean;
  lastReportSequence: number;
  droppedTransitions: number;
  pairs: Map<string, PairState>;
}

interface BreakerState {
  id: string;
  serviceId: string;
  serviceName: string;
  name: string;
  config: TBreakerConfig | null;
  pairs: Map<string, PairState>;
  recent: RecentWindow;
  /** Outcome counts since this server started (deltas summed): Prometheus counters. */
  totals: Float64Array;
  serviceState: TBreakerState | null;
  stateSince: number | null;
  lastReportAt: number | null;
}

export interface InstanceIdentity {
  id: string;
  serviceId: string;
  serviceName: string;
  /** The service belongs to the demo fleet. */
  demo?: boolean;
  name: string;
  labels: TLabels;
  runId: string | null;
}

export interface AggregateOptions {
  now: () => number;
  /** An instance is stale once it has not reported for this long. */
  staleAfterMs: number;
  bucketSeconds: number;
}

export type Aggregate = ReturnType<typeof createAggregate>;

/**
 * The live state in memory: every breaker on every instance, deltas derived
 * from cumulative counters, service-wide views and instance liveness. It
 * queues what must be written (pending) and remembers which breakers changed
 * (dirty) for the dashboards; it does no I/O itself.
 */
export function createAggregate({ now, staleAfterMs, bucketSeconds }: AggregateOptions) {
  const bucketMs = bucketSeconds * 1000;
  const instances = new Map<string, InstanceState>();
  const breakers = new Map<string, BreakerState>();
  const pending = new PendingWrites(bucketMs);
  const overrides = new Map<string, TOverrideView>();
  const demoServices = new Set<string>();
  let dirty = new Set<string>();
  const scratch = emptyCounts();

  function breakerEntry(id: string, serviceId: string, serviceName: string, name: string, config: TBreakerConfig | null): BreakerState {
    let breaker = breakers.get(id);
    if (!breaker) {
      breaker = { id, serviceId, serviceName, name, config, pairs: new Map(), recent: new RecentWindow(bucketMs, now()), totals: new Float64Array(scratch.counts.length), serviceState: null, stateSince: null, lastReportAt: null };
      breakers.set(id, breaker);
    } else if (config) breaker.config = config;
    return breaker;
  }

  function pairEntry(instance: InstanceState, breaker: BreakerState): PairState {
    let pair = instance.pairs.get(breaker.name);
    if (!pair) {
      pair = { breakerId: breaker.id, instanceId: instance.id, state: null, wouldBe: null, stateSince: null, window: null, config: null, lastReportAt: null, totals: null };
      instance.pairs.set(breaker.name, pair);
      breaker.pairs.set(instance.id, pair);
    }
    return pair;
  }

  /** Recomputes the service-wide state after a change and marks the breaker for the dashboards. */
  function touch(breaker: BreakerState, at: number): void {
    // Runs for every breaker of every report: a plain loop, no arrays built per call.
    let state: TBreakerState | null = null;
    for (const pair of breaker.pairs.values()) {
      if (!instances.get(pair.instanceId)?.stale) state = worseState(state, pair.state);
    }
    if (state !== breaker.serviceState) {
      breaker.serviceState = state;
      breaker.stateSince = at;
    }
    dirty.add(breaker.id);
  }

  function setPairState(pair: PairState, state: TBreakerState, wouldBe: TBreakerState, at: number): boolean {
    if (pair.state === state && pair.wouldBe === wouldBe) return false;
    if (pair.state !== state) pair.stateSince = at;
    pair.state = state;
    pair.wouldBe = wouldBe;
    pending.markState(pair);
    return true;
  }

  return {
    /** Declares an instance and its breakers (registration, or the catalog loaded at start). */
    register(
      identity: InstanceIdentity,
      declared: Array<{ breakerId: string; name: string; config: TBreakerConfig | null }>,
      seenAt: number | null,
      origin: 'reporter' | 'catalog' = 'reporter',
    ): void {
      if (identity.demo) demoServices.add(identity.serviceId);
      let instance = instances.get(identity.id);
      // A run we see begin counts from zero; one loaded from the catalog mid-run has no baseline yet.
      const startsRun = origin === 'reporter' && instance?.runId !== identity.runId;
      if (!instance) {
        instance = { ...identity, lastSeenAt: seenAt, stale: seenAt === null || now() - seenAt > staleAfterMs, lastReportSequence: 0, droppedTransitions: 0, pairs: new Map() };
        instances.set(identity.id, instance);
      } else {
        if (identity.runId !== instance.runId) {
          // A new run: its counters and sequence numbers start again.
          instance.lastReportSequence = 0;
          for (const pair of instance.pairs.values()) pair.totals = startsRun ? emptyCounts() : null;
        }
        Object.assign(instance, identity);
        if (seenAt !== null) {
          instance.lastSeenAt = seenAt;
          instance.stale = false;
        }
      }
      for (const item of declared) {
        const breaker = breakerEntry(item.breakerId, identity.serviceId, identity.serviceName, item.name, item.config);
        const pair = pairEntry(instance, breaker);
        if (item.config) pair.config = item.config;
        if (startsRun && pair.totals === null) pair.totals = emptyCounts();
        touch(breaker, now());
      }
    },

    /** Declares a breaker known from the catalog, with or without instances. */
    declareBreaker(id: string, serviceId: string, serviceName: string, name: string, config: TBreakerConfig | null): void {
      breakerEntry(id, serviceId, serviceName, name, config);
    },

    /** Restores a pair's last stored state after a server restart. */
    restorePair(instanceId: string, breakerId: string, state: TBreakerState, wouldBe: TBreakerState | null, stateSince: number, config: TBreakerConfig | null): void {
      const instance = instances.get(instanceId);
      const breaker = breakers.get(breakerId);
      if (!instance || !breaker) return;
      const pair = pairEntry(instance, breaker);
      Object.assign(pair, { state, wouldBe, stateSince, config: config ?? pair.config });
      touch(breaker, stateSince);
    },

    instance(instanceId: string): Readonly<InstanceIdentity> | undefined {
      return instances.get(instanceId);
    },

    /** The breaker ids of an instance by name, for mapping reports. */
    breakerId(instanceId: string, breakerName: string): string | undefined {
      return instances.get(instanceId)?.pairs.get(breakerName)?.breakerId;
    },

    /**
     * Applies a periodic report. Reports of the current run that are not newer
     * than the last one are ignored: with cumulative counters a stale report
     * would otherwise look like a restart.
     */
    applyReport(instanceId: string, report: TReport, breakerIds: ReadonlyMap<string, string>): 'applied' | 'stale_sequence' | 'unknown_instance' {
      const instance = instances.get(instanceId);
      if (!instance) return 'unknown_instance';
      const at = now();
      if (report.runId !== instance.runId) {
        // A run that reports without registering (an HTTP reporter restarted): count it from zero.
        instance.runId = report.runId;
        instance.lastReportSequence = 0;
        for (const pair of instance.pairs.values()) pair.totals = emptyCounts();
      } else if (report.sequence <= instance.lastReportSequence) return 'stale_sequence';
      instance.lastReportSequence = report.sequence;
      instance.lastSeenAt = at;
      instance.droppedTransitions = report.droppedTransitions;
      pending.markSeen(instance.id, at, report.droppedTransitions);
      const cameBack = instance.stale;
      instance.stale = false;

      for (const item of report.breakers) {
        const breakerId = breakerIds.get(item.name);
        if (!breakerId) continue;
        const breaker = breakerEntry(breakerId, instance.serviceId, instance.serviceName, item.name, null);
        const pair = pairEntry(instance, breaker);
        const { last } = takeDelta(pair.totals, item, scratch);
        pair.totals = last;
        pair.lastReportAt = at;
        pair.window = item.window;
        breaker.lastReportAt = at;
        const changed = setPairState(pair, item.state, item.wouldBe, at);
        if (!isEmpty(scratch)) {
          breaker.recent.add(scratch, at);
          for (let i = 0; i < breaker.totals.length; i++) breaker.totals[i]! += scratch.counts[i]!;
          pending.addCounts(breaker.id, instance.id, at, scratch);
        }
        // Counters change every report, so every reported breaker is dirty; the live layer coalesces.
        if (changed || cameBack || !isEmpty(scratch)) touch(breaker, at);
      }
      if (cameBack) for (const pair of instance.pairs.values()) touch(breakers.get(pair.breakerId)!, at);
      return 'applied';
    },

    /** A stored transition moves the live state unless a newer state is already known. */
    applyTransition(instanceId: string, transition: TTransition, breakerId: string): void {
      const instance = instances.get(instanceId);
      const breaker = breakers.get(breakerId);
      if (!instance || !breaker) return;
      const pair = pairEntry(instance, breaker);
      if (pair.stateSince !== null && transition.at < pair.stateSince) return;
      if (setPairState(pair, transition.to, transition.wouldBe, transition.at)) touch(breaker, transition.at);
    },

    /** Marks instances that stopped reporting as stale; returns how many turned stale. */
    checkLiveness(): number {
      const at = now();
      let turned = 0;
      for (const instance of instances.values()) {
        if (instance.stale || instance.lastSeenAt === null || at - instance.lastSeenAt <= staleAfterMs) continue;
        instance.stale = true;
        turned += 1;
        for (const pair of instance.pairs.values()) touch(breakers.get(pair.breakerId)!, at);
      }
      return turned;
    },

    /** Shows (or clears) the override in force on a breaker; the dashboards get it with the next delta. */
    setOverride(breakerId: string, override: TOverrideView | null): void {
      if (override) overrides.set(breakerId, override);
      else overrides.delete(breakerId);
      dirty.add(breakerId);
    },

    takeDirty(): Set<string> {
      const taken = dirty;
      dirty = new Set();
      return taken;
    },

    pending,

    summary(breakerId: string): TBreakerSummary | undefined {
      const breaker = breakers.get(breakerId);
      if (!breaker) return undefined;
      const at = now();
      const byState: Record<TBreakerState, number> = { CLOSED: 0, OPEN: 0, HALF_OPEN: 0, FORCED_OPEN: 0, FORCED_CLOSED: 0 };
      let stale = 0;
      const wouldBe: Array<TBreakerState | null> = [];
      for (const pair of breaker.pairs.values()) {
        if (instances.get(pair.instanceId)?.stale) stale += 1;
        else if (pair.state) {
          byState[pair.state] += 1;
          wouldBe.push(pair.wouldBe);
        }
      }
      return {
        id: breaker.id,
        service: breaker.serviceName,
        name: breaker.name,
        state: breaker.serviceState,
        wouldBe: worstState(wouldBe),
        instances: { total: breaker.pairs.size, stale, byState },
        rates: breaker.recent.rates(at),
        lastReportAt: breaker.lastReportAt,
        stateSince: breaker.stateSince,
        demo: demoServices.has(breaker.serviceId),
        override: overrides.get(breaker.id) ?? null,
      };
    },

    breakerIds(filter?: { service?: string }): string[] {
      const ids: string[] = [];
      for (const breaker of breakers.values()) if (!filter?.service || breaker.serviceName === filter.service) ids.push(breaker.id);
      return ids;
    },

    serviceOf(breakerId: string): string | undefined {
      return breakers.get(breakerId)?.serviceName;
    },

    config(breakerId: string): TBreakerConfig | null {
      return breakers.get(breakerId)?.config ?? null;
    },

    /** Every instance that declared this breaker, reported or not: who an operator command is for. */
    instanceRefsOf(breakerId: string): Array<{ instanceId: string; name: string; labels: TLabels }> {
      const breaker = breakers.get(breakerId);
      if (!breaker) return [];
      const refs: Array<{ instanceId: string; name: string; labels: TLabels }> = [];
      for (const pair of breaker.pairs.values()) {
        const instance = instances.get(pair.instanceId);
        if (instance) refs.push({ instanceId: instance.id, name: instance.name, labels: instance.labels });
      }
      return refs.sort((a, b) => a.name.localeCompare(b.name));
    },

    /** The current state of one breaker on one instance, for persisting it. */
    pairState(instanceId: string, breakerId: string): Readonly<PairState> | undefined {
      return breakers.get(breakerId)?.pairs.get(instanceId);
    },

    instancesOf(breakerId: string): TBreakerInstance[] {
      const breaker = breakers.get(breakerId);
      if (!breaker) return [];
      const rows: TBreakerInstance[] = [];
      for (const pair of breaker.pairs.values()) {
        const instance = instances.get(pair.instanceId);
        if (!instance || !pair.state) continue;
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
        });
      }
      return rows.sort((a, b) => a.name.localeCompare(b.name));
    },

    /** Outcome counts of a breaker since this server started, in OUTCOME_KINDS order. */
    callTotals(breakerId: string): Readonly<Float64Array> | undefined {
      return breakers.get(breakerId)?.totals;
    },

    stats(): { instances: number; breakers: number; pairs: number } {
      let pairs = 0;
      for (const instance of instances.values()) pairs += instance.pairs.size;
      return { instances: instances.size, breakers: breakers.size, pairs };
    },
  };
}
