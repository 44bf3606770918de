import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { TLatencyHistogram, TOutcomeCounters, TOverrideInForce, TWindowSnapshot } from '../../lib/protocol/breaker-report.js';

/**
 * What one read of a foreign source (an actuator, a scrape, a Hystrix stream,
 * an OTLP push) says about one instance of a service, already in the panel's
 * vocabulary. Each adapter produces these; the source sink turns them into the
 * registrations, reports and transitions every SDK reporter sends, so source
 * breakers are stored, rolled up, shown and alerted on like any other.
 */
export interface SourceBreakerSnapshot {
  name: string;
  state: TBreakerState;
  /** Cumulative since the instance started and never decreasing: adapters turn rolling windows or gauges into running totals. */
  counters: TOutcomeCounters;
  /** The library's own window, when it has one. */
  window: TWindowSnapshot | null;
  /** Null when the source has no latency histogram: the panel shows none rather than a made-up one. */
  latency: TLatencyHistogram | null;
  /** Whether the panel can steer this breaker through the source (only Resilience4j's actuator can). */
  writable: boolean;
  /**
   * The panel's override the adapter applied and still sees in force, with
   * its command id; absent or null otherwise. Reported like an SDK's held
   * override, so the panel releases one that ended while the target was away.
   */
  override?: TOverrideInForce | null;
}

/** A transition the source reported itself, with its own timestamp (the sink derives one from state changes otherwise). */
export interface SourceTransition {
  breaker: string;
  from: TBreakerState;
  to: TBreakerState;
  at: number;
}

export interface SourceInstanceSnapshot {
  /** The panel's service name for this instance. */
  service: string;
  /** Stable per watched process (e.g. host:port of the target, or OTel service.instance.id). */
  instance: string;
  /** Changes when the watched process restarted (counters then start again from zero). */
  runId: string;
  observedAt: number;
  breakers: SourceBreakerSnapshot[];
  transitions: SourceTransition[];
}

/** Where adapters deliver what they read. */
export interface SourceSink {
  snapshot(sourceId: string, snapshot: SourceInstanceSnapshot): Promise<void>;
  /**
   * The source could not be read: its instances go stale and the admin UI
   * shows the error. With `instance`, only that instance (one target of
   * several) goes stale.
   */
  unreachable(sourceId: string, error: string, instance?: string): void;
}
