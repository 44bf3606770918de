import type { TReporterClientKind, TReporterTransport } from '../../lib/api/reporter-client.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TWindowSnapshot } from '../../lib/protocol/breaker-report.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { TLabels } from '../../lib/protocol/identity.js';
import type { CounterRow } from './counter-deltas';
import { DirtyBreakers } from './dirty-breakers';
import { countPair } from './live-states';
import { OUTCOME_KINDS } from './outcome-kinds';
import { PairCounters } from './pair-counters';
import { PendingWrites } from './pending-writes';
import { RecentWindow } from './recent-window';
import { StateCounts } from './state-counts';

/** What registration (or the catalog) says of an instance. */
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

/** "Not yet" for a time written per report: a field never null is written in place, one that may be null gets a new heap number per write (docs/performance.md). */
export const NEVER = Number.NEGATIVE_INFINITY;
export const timeOrNull = (at: number): number | null => (at === NEVER ? null : at);

/** One breaker on one instance; its counter row lies in pages shared with other pairs (pair-counters.ts). */
export class PairState implements CounterRow {
  readonly breakerId: string;
  readonly instanceId: string;
  state: TBreakerState | null = null;
  wouldBe: TBreakerState | null = null;
  stateSince: number | null = null;
  window: TWindowSnapshot | null = null;
  config: TBreakerConfig | null = null;
  lastReportAt = NEVER;
  totals: Float64Array;
  rowAt: number;
  width: number;
  /** False until a baseline is known for this run: until then the totals mean nothing. */
  hasBaseline = false;

  constructor(
    readonly instance: InstanceState,
    readonly breaker: BreakerState,
    row: CounterRow,
    /** This pair's row in the pending per-instance buckets. */
    readonly slot: number,
  ) {
    this.breakerId = breaker.id;
    this.instanceId = instance.id;
    ({ totals: this.totals, rowAt: this.rowAt, width: this.width } = row);
  }
}

export interface InstanceState extends Required<Omit<InstanceIdentity, 'demo'>> {
  transport: TReporterTransport | null;
  lastSeenAt: number | null;
  stale: boolean;
  lastReportSequence: number;
  droppedTransitions: number;
  pairs: Map<string, PairState>;
  /** The breaker names of the last report and their pairs: an instance names the same breakers in every report, so most reports skip the lookups. */
  reported: { names: readonly string[]; pairs: Array<PairState | undefined>; complete: boolean } | null;
}

export class BreakerState {
  readonly pairs = new Map<string, PairState>();
  readonly recent: RecentWindow;
  /** Outcome counts since this server started (deltas summed): Prometheus counters. */
  readonly totals = new Float64Array(OUTCOME_KINDS.length);
  serviceState: TBreakerState | null = null;
  stateSince: number | null = null;
  lastReportAt = NEVER;
  /** This breaker's row in the pending service-wide buckets. */
  readonly slot: number;
  /** Marked changed since the dashboards' last delta (dirty-breakers.ts). */
  dirty = false;
  /** Its live instances' states and would-be states, and its stale pairs, kept in step with every change (live-states.ts): nothing scans the instances. */
  readonly live = new StateCounts();
  readonly liveWouldBe = new StateCounts();
  stalePairs = 0;
  /** The clients of its instances, for the overview; null once an instance's client may have changed (worked out again when asked). */
  clients: { kinds: TReporterClientKind[]; httpInstances: number } | null = null;

  constructor(
    readonly id: string,
    readonly serviceId: string,
    readonly serviceName: string,
    readonly name: string,
    public config: TBreakerConfig | null,
    pending: PendingWrites,
  ) {
    this.slot = pending.breakerSlot(id);
    this.recent = new RecentWindow(pending, this.slot);
  }
}

export interface AggregateOptions {
  now: () => number;
  /** An instance is stale once it has not reported for this long. */
  staleAfterMs: number;
  bucketSeconds: number;
}

/** Every instance, breaker and pair this server holds, and what each change goes through: counters, writes owed, dirty marks. */
export class LiveEntries {
  readonly instances = new Map<string, InstanceState>();
  readonly breakers = new Map<string, BreakerState>();
  readonly pending: PendingWrites;
  readonly counters: PairCounters;
  readonly dirty = new DirtyBreakers(this.breakers);
  readonly demoServices = new Set<string>();
  readonly now: () => number;
  readonly staleAfterMs: number;

  constructor({ now, staleAfterMs, bucketSeconds }: AggregateOptions) {
    this.now = now;
    this.staleAfterMs = staleAfterMs;
    this.pending = new PendingWrites(bucketSeconds * 1000);
    this.counters = new PairCounters(this.pending);
  }

  /** The breaker of an id, made when new; a declared config replaces the one it had unless equal, so that its pairs share one object rather than a copy each. */
  breakerEntry(id: string, serviceId: string, serviceName: string, name: string, config: TBreakerConfig | null): BreakerState {
    let breaker = this.breakers.get(id);
    if (!breaker) this.breakers.set(id, (breaker = new BreakerState(id, serviceId, serviceName, name, config, this.pending)));
    else if (config && JSON.stringify(config) !== JSON.stringify(breaker.config)) breaker.config = config;
    return breaker;
  }

  /** The pair of a breaker on an instance, made when new. */
  pairEntry(instance: InstanceState, breaker: BreakerState): PairState {
    let pair = instance.pairs.get(breaker.name);
    if (!pair) {
      pair = new PairState(instance, breaker, this.counters.newRow(), this.pending.pairSlot(instance.id, breaker.id));
      instance.pairs.set(breaker.name, pair);
      instance.reported = null;
      breaker.pairs.set(instance.id, pair);
      breaker.clients = null;
    }
    return pair;
  }

  /** Marks a breaker for the dashboards; a change other than counters may move its service-wide state, the most severe of its live instances'. */
  touch(breaker: BreakerState, at: number, countersOnly = false): void {
    if (!countersOnly && breaker.live.worst() !== breaker.serviceState) {
      breaker.serviceState = breaker.live.worst();
      breaker.stateSince = at;
    }
    this.dirty.mark(breaker, !countersOnly);
  }

  /** Sets a pair's state, counted out of its breaker's live counts and back in, and queued to be stored; false when nothing changed. */
  movePair(pair: PairState, state: TBreakerState, wouldBe: TBreakerState | null, at: number): boolean {
    if (pair.state === state && pair.wouldBe === wouldBe) return false;
    countPair(pair, -1);
    if (pair.state !== state) pair.stateSince = at;
    pair.state = state;
    pair.wouldBe = wouldBe;
    countPair(pair, 1);
    this.pending.markState(pair);
    return true;
  }
}
