import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerSummary, TRecentRates } from '../../lib/api/breaker-summary.js';
import type { TReporterTransport } from '../../lib/api/reporter-client.js';
import type { TOverrideView } from '../../lib/control/operator-action.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TCompactReportData } from '../../lib/protocol/compact-report.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { TLabels } from '../../lib/protocol/identity.js';
import type { TTransition } from '../../lib/protocol/transition.js';
import { stateOfCode, type NamedReport } from '../ingest/named-report';
import { instancesOf, partialOf, summaryOf, type BreakerPartial } from './breaker-views';
import { DirtyBreakers } from './dirty-breakers';
import type { BreakerState, InstanceIdentity, InstanceState, PairState } from './live-entries';
import { countPair, refreshServiceState, setPairState, setStale } from './live-states';
import { OUTCOME_KINDS } from './outcome-kinds';
import { PairCounters } from './pair-counters';
import { PendingWrites, type OwedBucket } from './pending-writes';
import { RecentWindow } from './recent-window';
import type { RemoteViews } from './remote-views';
import { StateCounts } from './state-counts';

export type { InstanceIdentity } from './live-entries';

export interface AggregateOptions {
  now: () => number;
  /** An instance is stale once it has not reported for this long. */
  staleAfterMs: number;
  bucketSeconds: number;
}

export type Aggregate = ReturnType<typeof createAggregate>;

/**
 * The live state in memory: every breaker on every instance (live-entries.ts),
 * their counters (pair-counters.ts), states and liveness (live-states.ts), the
 * breakers changed since the dashboards were last sent them
 * (dirty-breakers.ts) and their views (breaker-views.ts). It queues what
 * must be written (pending-writes.ts); it does no I/O itself.
 */
export function createAggregate({ now, staleAfterMs, bucketSeconds }: AggregateOptions) {
  const instances = new Map<string, InstanceState>();
  const breakers = new Map<string, BreakerState>();
  const pending = new PendingWrites(bucketSeconds * 1000);
  const counters = new PairCounters(pending);
  const dirty = new DirtyBreakers();
  const overrides = new Map<string, TOverrideView>();
  const demoServices = new Set<string>();
  // The other servers' parts of the views (CLUSTER=on); null: this server's view is the whole view.
  let remote: RemoteViews | null = null;

  function breakerEntry(id: string, serviceId: string, serviceName: string, name: string, config: TBreakerConfig | null): BreakerState {
    let breaker = breakers.get(id);
    if (!breaker) {
      const slot = pending.breakerSlot(id);
      breaker = {
        id,
        serviceId,
        serviceName,
        name,
        config,
        pairs: new Map(),
        recent: new RecentWindow(pending, slot),
        totals: new Float64Array(OUTCOME_KINDS.length),
        serviceState: null,
        stateSince: null,
        lastReportAt: null,
        slot,
        dirtyIn: -1,
        live: new StateCounts(),
        liveWouldBe: new StateCounts(),
        stalePairs: 0,
        clients: null,
      };
      breakers.set(id, breaker);
    } else if (config) breaker.config = config;
    return breaker;
  }

  function pairEntry(instance: InstanceState, breaker: BreakerState): PairState {
    let pair = instance.pairs.get(breaker.name);
    if (!pair) {
      pair = {
        breakerId: breaker.id,
        instanceId: instance.id,
        instance,
        breaker,
        state: null,
        wouldBe: null,
        stateSince: null,
        window: null,
        config: null,
        lastReportAt: null,
        ...counters.newRow(),
        hasBaseline: false,
        slot: pending.pairSlot(instance.id, breaker.id),
      };
      instance.pairs.set(breaker.name, pair);
      instance.reported = null;
      breaker.pairs.set(instance.id, pair);
      breaker.clients = null;
      countPair(pair, 1);
    }
    return pair;
  }

  /** Marks a breaker for the dashboards; a change other than counters may move its service-wide state. */
  function touch(breaker: BreakerState, at: number, countersOnly = false): void {
    if (!countersOnly) refreshServiceState(breaker, at);
    dirty.mark(breaker, !countersOnly);
  }

  /** Sets a pair's state, queuing it to be stored when it changed. */
  function movePair(pair: PairState, state: TBreakerState, wouldBe: TBreakerState | null, at: number): boolean {
    if (!setPairState(pair, state, wouldBe, at)) return false;
    pending.markState(pair);
    return true;
  }

  /**
   * The breaker's config object when an instance declares an equal one: the
   * instances of a service nearly always run one config, and a copy per pair
   * was 17 MB of objects at 100,000 pairs.
   */
  function sharedConfig(known: TBreakerConfig | null, declared: TBreakerConfig | null): TBreakerConfig | null {
    return known && declared && JSON.stringify(known) === JSON.stringify(declared) ? known : declared;
  }

  /** The window a report gave, kept in place: no object per breaker per report. */
  function setWindow(pair: PairState, numbers: TCompactReportData, b: number): void {
    const window = (pair.window ??= { calls: 0, failureRate: 0, slowCallRate: 0 });
    window.calls = numbers.windowCalls[b]!;
    window.failureRate = numbers.failureRate[b]!;
    window.slowCallRate = numbers.slowCallRate[b]!;
  }

  /**
   * The pairs a report's breaker names stand for (undefined for names the
   * instance has not declared), remembered for its next report. A connection
   * hands the same (never changed) names array while its reports name the
   * same breakers: then one comparison does.
   */
  function reportedPairs(instance: InstanceState, names: readonly string[]): NonNullable<InstanceState['reported']> {
    const last = instance.reported;
    if (last && (last.names === names || (last.names.length === names.length && last.names.every((name, index) => name === names[index])))) {
      last.names = names;
      return last;
    }
    const pairs = names.map((name) => instance.pairs.get(name));
    instance.reported = { names, pairs, complete: pairs.every((pair) => pair !== undefined) };
    return instance.reported;
  }

  /** This server's part of a breaker's view. */
  function partial(breakerId: string): BreakerPartial | undefined {
    const breaker = breakers.get(breakerId);
    return breaker ? partialOf(breaker, now()) : undefined;
  }

  /** A breaker's service-wide summary: this server's partial, merged with the other servers' when there are others. */
  function summary(breakerId: string): TBreakerSummary | undefined {
    const breaker = breakers.get(breakerId);
    const at = now();
    if (remote) {
      const merged = remote.merge(breakerId, breaker && { partial: partialOf(breaker, at), rows: () => instancesOf(breaker) }, at);
      if (!merged) return undefined;
      const demo = merged.demo || (breaker !== undefined && demoServices.has(breaker.serviceId));
      return summaryOf(merged.partials, at, { demo, override: overrides.get(breakerId) ?? null });
    }
    if (!breaker) return undefined;
    return summaryOf([partialOf(breaker, at)], at, { demo: demoServices.has(breaker.serviceId), override: overrides.get(breaker.id) ?? null });
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
        instance = {
          ...identity,
          sdk: identity.sdk ?? null,
          transport: null,
          lastSeenAt: seenAt,
          stale: seenAt === null || now() - seenAt > staleAfterMs,
          lastReportSequence: 0,
          droppedTransitions: 0,
          pairs: new Map(),
          reported: null,
        };
        instances.set(identity.id, instance);
      } else {
        if (identity.runId !== instance.runId) {
          // A new run: its counters and sequence numbers start again.
          instance.lastReportSequence = 0;
          for (const pair of instance.pairs.values()) counters.reset(pair, startsRun);
        }
        Object.assign(instance, identity);
        for (const pair of instance.pairs.values()) pair.breaker.clients = null;
        if (seenAt !== null) {
          instance.lastSeenAt = seenAt;
          setStale(instance, false);
        }
      }
      for (const item of declared) {
        const config = sharedConfig(breakers.get(item.breakerId)?.config ?? null, item.config);
        const breaker = breakerEntry(item.breakerId, identity.serviceId, identity.serviceName, item.name, config);
        const pair = pairEntry(instance, breaker);
        if (config) pair.config = config;
        if (startsRun && !pair.hasBaseline) counters.reset(pair, true);
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
      countPair(pair, -1);
      pair.state = state;
      pair.wouldBe = wouldBe;
      pair.stateSince = stateSince;
      pair.config = config ?? pair.config;
      countPair(pair, 1);
      touch(breaker, stateSince);
    },

    /**
     * Each pair's cumulative counters as far as they are stored, or are in
     * the batch just taken: its totals less what its open bucket counted.
     * Call right after pending.take, before any report moves a pair on to a
     * new bucket, and write the result with the batch (counter_baselines).
     */
    countedThrough(instanceId: string): ReturnType<PairCounters['countedThrough']> {
      const instance = instances.get(instanceId);
      return instance ? counters.countedThrough(instance) : null;
    },

    /**
     * After a restart, or when the run's reporter moved here from another
     * server, a pair's counters as far as a server stored them for this run:
     * the run's next report counts from there (when that is ahead of what
     * this server saw), so what a dead server had not written yet is counted
     * once. Ignored for another run (its counters started again).
     */
    restoreCounted(instanceId: string, runId: string, breakerId: string, totals: ArrayLike<number>): void {
      const instance = instances.get(instanceId);
      const breaker = breakers.get(breakerId);
      if (!instance || !breaker || instance.runId !== runId) return;
      counters.restore(pairEntry(instance, breaker), totals);
    },

    /** How an instance reached this server last: a socket, or HTTP batches and polls. */
    setTransport(instanceId: string, transport: TReporterTransport): void {
      const instance = instances.get(instanceId);
      if (!instance || instance.transport === transport) return;
      instance.transport = transport;
      for (const pair of instance.pairs.values()) {
        pair.breaker.clients = null;
        touch(pair.breaker, now());
      }
    },

    instance(instanceId: string): Readonly<InstanceIdentity> | undefined {
      return instances.get(instanceId);
    },

    /** The breaker ids of an instance by name, for mapping reports. */
    breakerId(instanceId: string, breakerName: string): string | undefined {
      return instances.get(instanceId)?.pairs.get(breakerName)?.breakerId;
    },

    /** Whether every breaker a report names is known on the instance (else ingest creates the missing ones first). */
    knowsBreakers(instanceId: string, names: readonly string[]): boolean {
      const instance = instances.get(instanceId);
      return instance !== undefined && reportedPairs(instance, names).complete;
    },

    /**
     * Applies a periodic report. Reports of the current run that are not newer
     * than the last one are ignored: with cumulative counters a stale report
     * would otherwise look like a restart. Breakers are found by name on the
     * instance; ingest declares the ones it did not know first (knowsBreakers).
     *
     * This runs for every breaker of every report (100,000 a second for a
     * large fleet): no allocation, no string keys built, no scan over a
     * breaker's instances.
     */
    applyReport(instanceId: string, report: NamedReport): 'applied' | 'stale_sequence' | 'unknown_instance' {
      const instance = instances.get(instanceId);
      if (!instance) return 'unknown_instance';
      const at = now();
      if (report.runId !== instance.runId) {
        // A run that reports without registering (an HTTP reporter restarted): count it from zero.
        instance.runId = report.runId;
        instance.lastReportSequence = 0;
        for (const pair of instance.pairs.values()) counters.reset(pair, true);
      } else if (report.numbers.sequence <= instance.lastReportSequence) return 'stale_sequence';
      instance.lastReportSequence = report.numbers.sequence;
      instance.lastSeenAt = at;
      instance.droppedTransitions = report.numbers.droppedTransitions;
      pending.markSeen(instance.id, at, report.numbers.droppedTransitions);
      const cameBack = instance.stale;
      setStale(instance, false);

      const { numbers } = report;
      const bucket = pending.bucketOf(at);
      const pairs = reportedPairs(instance, report.names).pairs;
      for (let b = 0; b < pairs.length; b++) {
        const pair = pairs[b];
        if (!pair) continue;
        const breaker = pair.breaker;
        const { width, counted } = counters.apply(pair, numbers, b, bucket);
        pair.lastReportAt = at;
        setWindow(pair, numbers, b);
        breaker.lastReportAt = at;
        const changed = movePair(pair, stateOfCode(numbers.state[b]!), stateOfCode(numbers.wouldBe[b]!), at);
        if (counted) {
          breaker.recent.counted(at);
          for (let i = 0; i < breaker.totals.length; i++) breaker.totals[i]! += counters.delta[i]!;
          pending.addBreakerCounts(breaker.slot, bucket, counters.delta, width);
        }
        // Counters change every report, so every reported breaker is dirty; the live layer coalesces those.
        if (changed || cameBack) touch(breaker, at);
        else if (counted) touch(breaker, at, true);
      }
      if (cameBack) for (const pair of instance.pairs.values()) touch(pair.breaker, at);
      return 'applied';
    },

    /** A stored transition moves the live state unless a newer state is already known. */
    applyTransition(instanceId: string, transition: TTransition, breakerId: string): void {
      const instance = instances.get(instanceId);
      const breaker = breakers.get(breakerId);
      if (!instance || !breaker) return;
      const pair = pairEntry(instance, breaker);
      if (pair.stateSince !== null && transition.at < pair.stateSince) return;
      if (movePair(pair, transition.to, transition.wouldBe, transition.at)) touch(breaker, transition.at);
    },

    /** Marks instances that stopped reporting as stale; returns how many turned stale. */
    checkLiveness(): number {
      const at = now();
      let turned = 0;
      for (const instance of instances.values()) {
        if (instance.stale || instance.lastSeenAt === null || at - instance.lastSeenAt <= staleAfterMs) continue;
        setStale(instance, true);
        turned += 1;
        for (const pair of instance.pairs.values()) touch(pair.breaker, at);
      }
      return turned;
    },

    /** The override in force on a breaker, if any. */
    override(breakerId: string): TOverrideView | null {
      return overrides.get(breakerId) ?? null;
    },

    /** Shows (or clears) the override in force on a breaker; the dashboards get it with the next delta. */
    setOverride(breakerId: string, override: TOverrideView | null): void {
      if (override) overrides.set(breakerId, override);
      else overrides.delete(breakerId);
      dirty.markOverride(breakerId, breakers.get(breakerId));
    },

    takeDirty(): Set<string> {
      return dirty.takeDirty();
    },

    /** The breakers whose state, instance counts or override changed since last taken; they are no longer dirty. */
    takeStateChanges(): Set<string> {
      return dirty.takeStateChanges(breakers);
    },

    pending,

    summary,

    partial,

    /** Whether a breaker held here belongs to the demo fleet (for the other servers' views). */
    isDemo(breakerId: string): boolean {
      const breaker = breakers.get(breakerId);
      return breaker !== undefined && demoServices.has(breaker.serviceId);
    },

    /** Merges every summary from here on with the other servers' parts (CLUSTER=on). */
    useRemoteViews(views: RemoteViews): void {
      remote = views;
    },

    /** A breaker's rates as the live stream's rates-only change, without building its whole summary. */
    ratesChange(breakerId: string): { service: string; rates: TRecentRates; lastReportAt: number | null } | undefined {
      if (remote) {
        const merged = summary(breakerId);
        return merged && { service: merged.service, rates: merged.rates, lastReportAt: merged.lastReportAt };
      }
      const breaker = breakers.get(breakerId);
      if (!breaker) return undefined;
      return { service: breaker.serviceName, rates: breaker.recent.rates(now()), lastReportAt: breaker.lastReportAt };
    },

    breakerIds(filter?: { service?: string }): string[] {
      const ids: string[] = [];
      for (const breaker of breakers.values()) if (!filter?.service || breaker.serviceName === filter.service) ids.push(breaker.id);
      if (remote) for (const { id, service } of remote.remoteOnly()) if (!breakers.has(id) && (!filter?.service || service === filter.service)) ids.push(id);
      return ids;
    },

    serviceOf(breakerId: string): string | undefined {
      return breakers.get(breakerId)?.serviceName ?? remote?.describe(breakerId)?.service;
    },

    config(breakerId: string): TBreakerConfig | null {
      return breakers.get(breakerId)?.config ?? remote?.describe(breakerId)?.config ?? null;
    },

    /** Every instance that declared this breaker, reported or not: who an operator command is for. */
    instanceRefsOf(breakerId: string): Array<{ instanceId: string; name: string; labels: TLabels }> {
      const breaker = breakers.get(breakerId);
      if (!breaker) return [];
      const refs: Array<{ instanceId: string; name: string; labels: TLabels }> = [];
      for (const { instance } of breaker.pairs.values()) refs.push({ instanceId: instance.id, name: instance.name, labels: instance.labels });
      return refs.sort((a, b) => a.name.localeCompare(b.name));
    },

    /** The current state of one breaker on one instance, for persisting it. */
    pairState(instanceId: string, breakerId: string): Readonly<PairState> | undefined {
      return breakers.get(breakerId)?.pairs.get(instanceId);
    },

    /** The breaker's instances, on every server when the views are merged. */
    instancesOf(breakerId: string): TBreakerInstance[] {
      const breaker = breakers.get(breakerId);
      if (!remote) return breaker ? instancesOf(breaker) : [];
      const at = now();
      return remote.instances(breakerId, breaker && { partial: partialOf(breaker, at), rows: () => instancesOf(breaker) }, at);
    },

    /** The instances of the breaker this server holds or knows from the catalog. */
    ownInstancesOf(breakerId: string): TBreakerInstance[] {
      const breaker = breakers.get(breakerId);
      return breaker ? instancesOf(breaker) : [];
    },

    /** A breaker's service-wide buckets not in the database yet (the open one, and any being written), oldest first. */
    owedBuckets(breakerId: string): OwedBucket[] {
      const breaker = breakers.get(breakerId);
      return breaker ? pending.owedBreakerBuckets(breaker.slot) : [];
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
