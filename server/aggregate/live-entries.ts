import type { TReporterClientKind, TReporterTransport } from '../../lib/api/reporter-client.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TWindowSnapshot } from '../../lib/protocol/breaker-report.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { TLabels } from '../../lib/protocol/identity.js';
import type { CounterRow } from './counter-deltas';
import type { RecentWindow } from './recent-window';
import type { StateCounts } from './state-counts';

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

/**
 * One breaker on one instance. Its counter row (CounterRow: cumulative
 * totals of the current run, as wide as its histograms have been) is kept in
 * shared pages (pair-counters.ts).
 */
export interface PairState extends CounterRow {
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
  /** This pair's row in the pending per-instance buckets. */
  slot: number;
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

export interface BreakerState {
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
  /** Equal to the dirty generation while the breaker is in the dirty set (dirty-breakers.ts). */
  dirtyIn: number;
  /**
   * The states and would-be states of its live (not stale) instances that
   * have a state, and how many of its instances are stale, kept in step with
   * every change (live-states.ts): neither the service-wide state nor a
   * summary scans the instances.
   */
  live: StateCounts;
  liveWouldBe: StateCounts;
  stalePairs: number;
  /** The clients of its instances, for the overview; null once an instance's client may have changed (worked out again when asked). */
  clients: { kinds: TReporterClientKind[]; httpInstances: number } | null;
}
