import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerSummary } from '../../lib/api/breaker-summary.js';
import { reporterClient, type TReporterClientKind, type TReporterTransport } from '../../lib/api/reporter-client.js';
import type { TOverrideView } from '../../lib/control/operator-action.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TWindowSnapshot } from '../../lib/protocol/breaker-report.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { TLabels } from '../../lib/protocol/identity.js';
import type { TTransition } from '../../lib/protocol/transition.js';
import { ratesChange, type TRatesChange } from '../../lib/live/breaker-delta';
import { stateOfCode, type NamedReport } from '../ingest/named-report';
import type { TCompactReportData } from '../../lib/protocol/compact-report.js';
import { CounterPages, rowWidthFor } from './bucket-accumulator';
import { countRow, deltaWidth, HISTOGRAM_OFFSET, isEmptyRow, partialBucket, rebase, takeDelta, type CounterRow } from './counter-deltas';
import { OUTCOME_KINDS } from './outcome-kinds';
import { PendingWrites, type OwedBucket } from './pending-writes';
import { RecentWindow } from './recent-window';
import { StateCounts } from './state-counts';

/**
 * One breaker on one instance. Its counter row (CounterRow: cumulative
 * totals of the current run, as wide as its histograms have been, and the
 * base of its open bucket) is kept in shared pages: its per-instance bucket
 * row is derived once per bucket (closePairBucket), not summed on every report.
 */
interface PairState extends CounterRow {
  breakerId: string;
  instanceId: string;
  instance: InstanceState;
  breaker: BreakerState;
  state: TBreakerState | null;
  wouldBe: TBreakerState | null;
  stateSince: number | null;
  window: TWindowSnapshot | null;
  config: TBreakerConfig | null;
  lastReportAt: number | null;
  /** False until a baseline is known for this run: until then the totals mean nothing. */
  hasBaseline: boolean;
  /** The bucket the base counts from; -1 before the first report. */
  openBucket: number;
  /** This pair's row in the pending per-instance buckets. */
  slot: number;
}

interface InstanceState {
  id: string;
  serviceId: string;
  serviceName: string;
  name: string;
  labels: TLabels;
  runId: string | null;
  sdk: { name: string; language: string } | null;
  transport: TReporterTransport | null;
  lastSeenAt: number | null;
  stale: boolean;
  lastReportSequence: number;
  droppedTransitions: number;
  pairs: Map<string, PairState>;
  /** The breaker names of the last report and their pairs: an instance names the same breakers in every report, so most reports skip the lookups. */
  reported: { names: readonly string[]; pairs: Array<PairState | undefined>; complete: boolean } | null;
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
  /** This breaker's row in the pending service-wide buckets. */
  slot: number;
  /** Equal to the aggregate's dirty generation while the breaker is in its dirty set: a report then need not look it up there. */
  dirtyIn: number;
  /**
   * The states and would-be states of its live (not stale) instances that
   * have a state, and how many of its instances are stale: kept in step with
   * every change (see count()), so neither the service-wide state nor a
   * summary scans the instances.
   */
  live: StateCounts;
  liveWouldBe: StateCounts;
  stalePairs: number;
  /** The clients of its instances, for the overview; null once an instance's client may have changed (worked out again when asked). */
  clients: { kinds: TReporterClientKind[]; httpInstances: number } | null;
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
  /** The registration's `sdk` (null when unknown, e.g. an instance known only from the catalog). */
  sdk?: { name: string; language: string } | null;
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
  // Counts the dirty sets handed over: a breaker whose dirtyIn equals it is in the current one.
  let dirtyGeneration = 0;
  // The dirty breakers whose state, instance counts or override changed: the dashboards get these at once, not with the next coalesced delta.
  let stateChanged = new Set<string>();
  // The delta of the breaker being applied: one row reused for every report.
  const scratch = countRow();
  // A pair's counts over the bucket it leaves (closePairBucket).
  const leftBucket = countRow();
  // Every pair, by slot: the flush closes the buckets of pairs that have not reported since their bucket ended.
  const pairsBySlot: PairState[] = [];
  // Pairs' counter rows by width: as wide as the widest histogram the pair reported (see BucketAccumulator), new pairs as wide as any so far.
  const counterPages = new Map<number, CounterPages>();
  let widestRow = rowWidthFor(HISTOGRAM_OFFSET + 1);
  const counterRow = (width: number): CounterRow => {
    let pages = counterPages.get(width);
    if (!pages) counterPages.set(width, (pages = new CounterPages(width)));
    return pages.row();
  };
  /** Moves a pair to a wider counter row, to hold `width` numbers, before a report that reaches that far. */
  const widenRow = (pair: PairState, width: number) => {
    const wider = counterRow(rowWidthFor(width));
    for (let i = 0; i < pair.width; i++) {
      wider.totals[wider.rowAt + i] = pair.totals[pair.rowAt + i]!;
      wider.base[wider.rowAt + i] = pair.base[pair.rowAt + i]!;
    }
    Object.assign(pair, wider);
    if (wider.width > widestRow) widestRow = wider.width;
  };

  /** Adds what a pair counted in its open bucket to that bucket's per-instance row, and opens `next`. */
  function closePairBucket(pair: PairState, next: number): void {
    if (partialBucket(pair, leftBucket)) pending.addPairCounts(pair.slot, pair.openBucket, leftBucket, pair.width);
    rebase(pair);
    pair.openBucket = next;
  }

  function breakerEntry(id: string, serviceId: string, serviceName: string, name: string, config: TBreakerConfig | null): BreakerState {
    let breaker = breakers.get(id);
    if (!breaker) {
      const slot = pending.breakerSlot(id);
      breaker = {
        id, serviceId, serviceName, name, config, pairs: new Map(), recent: new RecentWindow(pending, slot), totals: new Float64Array(OUTCOME_KINDS.length),
        serviceState: null, stateSince: null, lastReportAt: null, slot, dirtyIn: -1, live: new StateCounts(), liveWouldBe: new StateCounts(), stalePairs: 0,
        clients: null,
      };
      breakers.set(id, breaker);
    } else if (config) breaker.config = config;
    return breaker;
  }

  /**
   * Counts a pair into (+1) or out of (-1) its breaker's live state counts.
   * Every change of a pair's state or of its instance's staleness counts the
   * pair out, changes, and counts it back in.
   */
  function count(pair: PairState, delta: 1 | -1): void {
    const breaker = pair.breaker;
    if (pair.instance.stale) breaker.stalePairs += delta;
    else if (pair.state !== null) {
      breaker.live.add(pair.state, delta);
      breaker.liveWouldBe.add(pair.wouldBe, delta);
    }
  }

  function pairEntry(instance: InstanceState, breaker: BreakerState): PairState {
    let pair = instance.pairs.get(breaker.name);
    if (!pair) {
      const row = counterRow(widestRow);
      pair = {
        breakerId: breaker.id, instanceId: instance.id, instance, breaker, state: null, wouldBe: null, stateSince: null, window: null, config: null, lastReportAt: null,
        totals: row.totals, base: row.base, rowAt: row.rowAt, width: row.width, hasBaseline: false, openBucket: -1, slot: pending.pairSlot(instance.id, breaker.id),
      };
      pairsBySlot[pair.slot] = pair;
      instance.pairs.set(breaker.name, pair);
      instance.reported = null;
      breaker.pairs.set(instance.id, pair);
      breaker.clients = null;
      count(pair, 1);
    }
    return pair;
  }

  /** Starts a pair's counters again: from zero (a run we saw begin) or with no baseline (a run joined midway). */
  function resetTotals(pair: PairState, fromZero: boolean): void {
    // What the pair counted in its open bucket stays counted.
    const { totals, base, rowAt } = pair;
    for (let i = rowAt; i < rowAt + pair.width; i++) {
      base[i] = base[i]! - totals[i]!;
      totals[i] = 0;
    }
    pair.hasBaseline = fromZero;
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

  function setStale(instance: InstanceState, stale: boolean): void {
    if (instance.stale === stale) return;
    for (const pair of instance.pairs.values()) count(pair, -1);
    instance.stale = stale;
    for (const pair of instance.pairs.values()) count(pair, 1);
  }

  /**
   * Recomputes the service-wide state after a change and marks the breaker
   * for the dashboards, as a state change unless only counters moved (which
   * cannot move the service-wide state). A breaker already dirty costs a
   * comparison: most of its reports find it so.
   */
  function touch(breaker: BreakerState, at: number, countersOnly = false): void {
    if (!countersOnly) {
      const state = breaker.live.worst();
      if (state !== breaker.serviceState) {
        breaker.serviceState = state;
        breaker.stateSince = at;
      }
      stateChanged.add(breaker.id);
    }
    if (breaker.dirtyIn === dirtyGeneration) return;
    breaker.dirtyIn = dirtyGeneration;
    dirty.add(breaker.id);
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

  function setPairState(pair: PairState, state: TBreakerState, wouldBe: TBreakerState | null, at: number): boolean {
    if (pair.state === state && pair.wouldBe === wouldBe) return false;
    count(pair, -1);
    if (pair.state !== state) pair.stateSince = at;
    pair.state = state;
    pair.wouldBe = wouldBe;
    count(pair, 1);
    pending.markState(pair);
    return true;
  }

  /**
   * The pairs a report's breaker names stand for (undefined for names the
   * instance has not declared), remembered for its next report. The scanner
   * hands the same (never changed) names array while a connection's reports
   * name the same breakers: then one comparison does.
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
        instance = { ...identity, sdk: identity.sdk ?? null, transport: null, lastSeenAt: seenAt, stale: seenAt === null || now() - seenAt > staleAfterMs, lastReportSequence: 0, droppedTransitions: 0, pairs: new Map(), reported: null };
        instances.set(identity.id, instance);
      } else {
        if (identity.runId !== instance.runId) {
          // A new run: its counters and sequence numbers start again.
          instance.lastReportSequence = 0;
          for (const pair of instance.pairs.values()) resetTotals(pair, startsRun);
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
        if (startsRun && !pair.hasBaseline) resetTotals(pair, true);
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
      count(pair, -1);
      pair.state = state;
      pair.wouldBe = wouldBe;
      pair.stateSince = stateSince;
      pair.config = config ?? pair.config;
      count(pair, 1);
      touch(breaker, stateSince);
    },

    /**
     * Each pair's cumulative counters as far as they are stored, or are in
     * the batch just taken: its totals less what its open bucket counted.
     * Call right after takePending, before any report moves a pair on to a
     * new bucket, and write the result with the batch (counter_baselines).
     */
    countedThrough(instanceId: string): { runId: string; breakerIds: string[]; widths: number[]; totals: Float64Array } | null {
      const instance = instances.get(instanceId);
      if (!instance?.runId) return null;
      const breakerIds: string[] = [];
      const widths: number[] = [];
      let length = 0;
      for (const pair of instance.pairs.values()) {
        if (!pair.hasBaseline) continue;
        breakerIds.push(pair.breakerId);
        widths.push(pair.width);
        length += pair.width;
      }
      if (breakerIds.length === 0) return null;
      // One typed array per instance, sized once: a fleet's baselines are millions of numbers per bucket.
      const totals = new Float64Array(length);
      let at = 0;
      for (const pair of instance.pairs.values()) {
        if (!pair.hasBaseline) continue;
        partialBucket(pair, leftBucket);
        for (let i = 0; i < pair.width; i++) totals[at++] = pair.totals[pair.rowAt + i]! - leftBucket[i]!;
      }
      return { runId: instance.runId, breakerIds, widths, totals };
    },

    /**
     * After a restart, a pair's counters as far as the last server stored
     * them for this run: the run's next report counts from there rather than
     * only setting a baseline, so what the dead server had not written yet is
     * counted once. Ignored for another run (its counters started again).
     */
    restoreCounted(instanceId: string, runId: string, breakerId: string, totals: ArrayLike<number>): void {
      const instance = instances.get(instanceId);
      const breaker = breakers.get(breakerId);
      if (!instance || !breaker || instance.runId !== runId) return;
      const pair = pairEntry(instance, breaker);
      if (totals.length > pair.width) widenRow(pair, totals.length);
      for (let i = 0; i < pair.width; i++) {
        const value = i < totals.length ? totals[i]! : 0;
        pair.totals[pair.rowAt + i] = value;
        pair.base[pair.rowAt + i] = value;
      }
      pair.hasBaseline = true;
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
     * instance, or through `breakerIds` when given (names the report carries
     * that neither knows are skipped).
     *
     * This runs for every breaker of every report (100,000 a second for a
     * large fleet): no allocation, no string keys built, no scan over a
     * breaker's instances.
     */
    applyReport(instanceId: string, report: NamedReport, breakerIds?: ReadonlyMap<string, string>): 'applied' | 'stale_sequence' | 'unknown_instance' {
      const instance = instances.get(instanceId);
      if (!instance) return 'unknown_instance';
      const at = now();
      if (report.runId !== instance.runId) {
        // A run that reports without registering (an HTTP reporter restarted): count it from zero.
        instance.runId = report.runId;
        instance.lastReportSequence = 0;
        for (const pair of instance.pairs.values()) resetTotals(pair, true);
      } else if (report.numbers.sequence <= instance.lastReportSequence) return 'stale_sequence';
      instance.lastReportSequence = report.numbers.sequence;
      instance.lastSeenAt = at;
      instance.droppedTransitions = report.numbers.droppedTransitions;
      pending.markSeen(instance.id, at, report.numbers.droppedTransitions);
      const cameBack = instance.stale;
      setStale(instance, false);

      const { names, numbers } = report;
      const bucket = pending.bucketOf(at);
      const pairs = breakerIds ? null : reportedPairs(instance, names).pairs;
      for (let b = 0; b < names.length; b++) {
        let pair: PairState | undefined;
        if (breakerIds) {
          const breakerId = breakerIds.get(names[b]!);
          if (!breakerId) continue;
          pair = pairEntry(instance, breakerEntry(breakerId, instance.serviceId, instance.serviceName, names[b]!, null));
        } else {
          pair = pairs![b];
          if (!pair) continue;
        }
        const breaker = pair.breaker;
        // Past the histogram the report sent, the delta is zeros: nothing needs to go further.
        const width = deltaWidth(numbers, b);
        if (width > pair.width) widenRow(pair, width);
        if (pair.openBucket !== bucket) closePairBucket(pair, bucket);
        takeDelta(pair, pair.hasBaseline, numbers, b, scratch);
        pair.hasBaseline = true;
        pair.lastReportAt = at;
        setWindow(pair, numbers, b);
        breaker.lastReportAt = at;
        const changed = setPairState(pair, stateOfCode(numbers.state[b]!), stateOfCode(numbers.wouldBe[b]!), at);
        const counted = !isEmptyRow(scratch);
        if (counted) {
          breaker.recent.counted(at);
          for (let i = 0; i < breaker.totals.length; i++) breaker.totals[i]! += scratch[i]!;
          pending.addBreakerCounts(breaker.slot, bucket, scratch, width);
        } else {
          // A delta with no outcome is not counted anywhere (a histogram moving alone): it must not reach the pair's row either.
          // Its counts are zeros, and so is all past `width`.
          for (let i = HISTOGRAM_OFFSET, base = pair.base, rowAt = pair.rowAt; i < width; i++) base[rowAt + i] = base[rowAt + i]! + scratch[i]!;
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
      if (setPairState(pair, transition.to, transition.wouldBe, transition.at)) touch(breaker, transition.at);
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
      const breaker = breakers.get(breakerId);
      if (breaker) breaker.dirtyIn = dirtyGeneration;
      dirty.add(breakerId);
      stateChanged.add(breakerId);
    },

    takeDirty(): Set<string> {
      const taken = dirty;
      dirty = new Set();
      dirtyGeneration += 1;
      stateChanged = new Set();
      return taken;
    },

    /** The breakers whose state, instance counts or override changed since last taken; they are no longer dirty. */
    takeStateChanges(): Set<string> {
      const taken = stateChanged;
      stateChanged = new Set();
      for (const id of taken) {
        dirty.delete(id);
        const breaker = breakers.get(id);
        if (breaker) breaker.dirtyIn = -1;
      }
      return taken;
    },

    pending,

    /**
     * What is owed to the database, as PendingWrites.take, once the pairs
     * still counting in a bucket before `holdBucketsFrom` (all buckets when
     * it is Infinity) have added their counts to it.
     */
    takePending(holdBucketsFrom = Infinity) {
      for (const pair of pairsBySlot) if (pair.openBucket < holdBucketsFrom) closePairBucket(pair, Number.isFinite(holdBucketsFrom) ? holdBucketsFrom : pair.openBucket);
      return pending.take(holdBucketsFrom);
    },

    summary(breakerId: string): TBreakerSummary | undefined {
      const breaker = breakers.get(breakerId);
      if (!breaker) return undefined;
      const at = now();
      const { live } = breaker;
      const byState: Record<TBreakerState, number> = {
        CLOSED: live.of('CLOSED'),
        OPEN: live.of('OPEN'),
        HALF_OPEN: live.of('HALF_OPEN'),
        FORCED_OPEN: live.of('FORCED_OPEN'),
        FORCED_CLOSED: live.of('FORCED_CLOSED'),
      };
      return {
        id: breaker.id,
        service: breaker.serviceName,
        name: breaker.name,
        state: breaker.serviceState,
        wouldBe: breaker.liveWouldBe.worst(),
        instances: { total: breaker.pairs.size, stale: breaker.stalePairs, byState },
        rates: breaker.recent.rates(at),
        lastReportAt: breaker.lastReportAt,
        stateSince: breaker.stateSince,
        demo: demoServices.has(breaker.serviceId),
        override: overrides.get(breaker.id) ?? null,
        clients: (breaker.clients ??= clientsOf(breaker)),
      };
    },

    /** A breaker's rates as the live stream's rates-only change, without building its whole summary. */
    ratesChange(breakerId: string): { service: string; change: TRatesChange } | undefined {
      const breaker = breakers.get(breakerId);
      if (!breaker) return undefined;
      return { service: breaker.serviceName, change: ratesChange(breaker.id, breaker.recent.rates(now()), breaker.lastReportAt) };
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
      for (const { instance } of breaker.pairs.values()) refs.push({ instanceId: instance.id, name: instance.name, labels: instance.labels });
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
