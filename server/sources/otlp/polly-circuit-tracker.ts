import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import type { SourceBreakerSnapshot, SourceInstanceSnapshot, SourceTransition } from '../source-snapshot';
import { AGGREGATION_TEMPORALITY_DELTA, attributeText, type TAttributes, type TExportMetricsRequest } from './otlp-metrics-request';
import { replayCircuit, type CircuitEventCounts } from './polly-circuit-replay';

/** Polly's event counter (meter `Polly`, COMPAT.md §7.1); other libraries following its conventions use the same name. */
export const POLLY_EVENTS_METRIC = 'resilience.polly.strategy.events';

const CIRCUIT_EVENTS: Record<string, keyof CircuitEventCounts> = {
  OnCircuitOpened: 'opened',
  OnCircuitHalfOpened: 'halfOpened',
  OnCircuitClosed: 'closed',
};

const MAX_NAME_LENGTH = 200;
/** The transitions one export may add per breaker: a flapping breaker's older steps are walked but not all shown. */
const MAX_TRANSITIONS_PER_EXPORT = 50;

/**
 * The panel breaker name of a Polly strategy: pipeline name, pipeline
 * instance and strategy name (COMPAT.md §2), any of which may be absent;
 * Polly names an unnamed breaker strategy `CircuitBreaker`.
 */
export function pollyBreakerName(attributes: TAttributes): string {
  const parts = [attributeText(attributes, 'pipeline.name'), attributeText(attributes, 'pipeline.instance'), attributeText(attributes, 'strategy.name') ?? 'CircuitBreaker'];
  return parts
    .filter((part): part is string => part !== null && part !== '')
    .join('/')
    .slice(0, MAX_NAME_LENGTH);
}

/** The panel instance an OTLP resource stands for: `service.instance.id`, else `host.name`, else the service itself (one instance). */
export function otlpInstanceName(attributes: TAttributes, service: string): string {
  const name = attributeText(attributes, 'service.instance.id') ?? attributeText(attributes, 'host.name') ?? service;
  return (name.trim() === '' ? service : name).slice(0, MAX_NAME_LENGTH);
}

interface SeriesTrack {
  start: bigint | null;
  time: bigint | null;
  value: number;
}

interface BreakerTrack {
  state: TBreakerState;
  series: Map<string, SeriesTrack>;
}

interface InstanceTrack {
  runId: string;
  breakers: Map<string, BreakerTrack>;
}

interface CircuitPoint {
  breaker: string;
  event: keyof CircuitEventCounts;
  series: string;
  delta: boolean;
  start: bigint | null;
  time: bigint | null;
  value: number;
}

export interface OtlpApplyResult {
  snapshots: SourceInstanceSnapshot[];
  /** Circuit-event data points that carried no usable value. */
  rejectedDataPoints: number;
  /** Forgets what this export taught, for when its snapshots could not be delivered: the exporter's retry then counts again. */
  rollback(): void;
}

/**
 * Polly's circuit events, pushed as OTLP metrics, as panel breakers. OTLP
 * carries no state: the state is replayed from the event counters
 * (polly-circuit-replay.ts), starting CLOSED, and each export's new events
 * become transitions dated at the data point's time (their order inside one
 * export is assumed, not known). Counters stay 0: Polly reports no
 * per-breaker outcomes. Cumulative series reset when their start time
 * changes or their value drops (a restart: a new run, counting from zero);
 * DELTA series are de-duplicated on (start, time). The first export seen of
 * a process that started before this receiver gives its state but no
 * transitions, so a panel restart does not repeat history.
 */
export class PollyCircuitTracker {
  private readonly instances = new Map<string, InstanceTrack>();
  private readonly startedAtNanos: bigint;

  constructor(startedAt: number) {
    this.startedAtNanos = BigInt(startedAt) * 1_000_000n;
  }

  apply(request: TExportMetricsRequest, service: string, receivedAt: number): OtlpApplyResult {
    let rejectedDataPoints = 0;
    const snapshots: SourceInstanceSnapshot[] = [];
    const saved = new Map<string, InstanceTrack | undefined>();
    for (const resource of request.resourceMetrics) {
      const attributes = resource.resource?.attributes ?? [];
      const instance = otlpInstanceName(attributes, service);
      const key = instanceKey(service, instance);
      if (!saved.has(key)) {
        const track = this.instances.get(key);
        saved.set(key, track && structuredClone(track));
      }
      const points: CircuitPoint[] = [];
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.name !== POLLY_EVENTS_METRIC || !metric.sum) continue;
          const delta = metric.sum.aggregationTemporality === AGGREGATION_TEMPORALITY_DELTA;
          for (const point of metric.sum.dataPoints) {
            const event = CIRCUIT_EVENTS[attributeText(point.attributes, 'event.name') ?? ''];
            if (!event) continue;
            const value = point.asInt ?? (typeof point.asDouble === 'number' ? point.asDouble : null);
            if (value === null || !Number.isFinite(value) || value < 0) {
              rejectedDataPoints += 1;
              continue;
            }
            const series = `${scope.scope?.name ?? ''}|${JSON.stringify([...point.attributes].sort((a, b) => a.key.localeCompare(b.key)))}`;
            points.push({ breaker: pollyBreakerName(point.attributes), event, series, delta, start: point.startTimeUnixNano ?? null, time: point.timeUnixNano ?? null, value: Math.floor(value) });
          }
        }
      }
      const snapshot = this.applyInstance(service, instance, points, receivedAt);
      if (snapshot) snapshots.push(snapshot);
    }
    return {
      snapshots,
      rejectedDataPoints,
      rollback: () => {
        for (const [key, track] of saved) {
          if (track) this.instances.set(key, track);
          else this.instances.delete(key);
        }
      },
    };
  }

  private applyInstance(service: string, instance: string, points: CircuitPoint[], receivedAt: number): SourceInstanceSnapshot | null {
    const key = instanceKey(service, instance);
    const cumulativeStart = points.reduce<bigint | null>(
      (earliest, point) => (point.delta || point.start === null ? earliest : earliest === null || point.start < earliest ? point.start : earliest),
      null,
    );
    let track = this.instances.get(key);
    if (!track) {
      if (points.length === 0) return null;
      track = { runId: runIdOf(cumulativeStart, receivedAt), breakers: new Map() };
      this.instances.set(key, track);
    }
    const byBreaker = new Map<string, CircuitPoint[]>();
    for (const point of points) byBreaker.set(point.breaker, [...(byBreaker.get(point.breaker) ?? []), point]);

    const transitions: SourceTransition[] = [];
    let restarted = false;
    for (const [name, breakerPoints] of byBreaker) {
      const known = track.breakers.get(name);
      const breaker: BreakerTrack = known ?? { state: 'CLOSED', series: new Map() };
      const counts: CircuitEventCounts = { opened: 0, halfOpened: 0, closed: 0 };
      let reset = false;
      let seenBefore = false;
      let latest: bigint | null = null;
      for (const point of breakerPoints) {
        const previous = breaker.series.get(point.series);
        let increase: number;
        if (point.delta) {
          increase = previous && previous.start === point.start && previous.time === point.time ? 0 : point.value;
        } else if (!previous) {
          increase = point.value;
          if (point.start !== null && point.start < this.startedAtNanos) seenBefore = true;
        } else if (previous.start !== point.start || point.value < previous.value) {
          increase = point.value;
          reset = true;
        } else {
          increase = point.value - previous.value;
        }
        breaker.series.set(point.series, { start: point.start, time: point.time, value: point.value });
        counts[point.event] += increase;
        if (point.time !== null && (latest === null || point.time > latest)) latest = point.time;
      }
      if (reset) restarted = true;
      const from: TBreakerState = reset ? 'CLOSED' : breaker.state;
      const path = replayCircuit(from, counts);
      const to = path.at(-1) ?? from;
      // A breaker first seen in a process older than this receiver: its counts are history the panel may already hold.
      if (!(known === undefined && seenBefore)) {
        const at = Math.min(latest === null ? receivedAt : Number(latest / 1_000_000n), receivedAt);
        const shown = path.slice(-MAX_TRANSITIONS_PER_EXPORT);
        let previousState = path.length > shown.length ? path[path.length - shown.length - 1]! : from;
        shown.forEach((state, index) => {
          transitions.push({ breaker: name, from: previousState, to: state, at: at - (shown.length - 1 - index) });
          previousState = state;
        });
      }
      breaker.state = to;
      track.breakers.set(name, breaker);
    }
    if (restarted) track.runId = runIdOf(cumulativeStart, receivedAt);

    const breakers: SourceBreakerSnapshot[] = [...track.breakers].map(([name, breaker]) => ({
      name,
      state: breaker.state,
      // Polly exports no per-breaker calls, failures or rejections, no window and no latency per breaker.
      counters: { success: 0, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 },
      window: null,
      latency: null,
      writable: false,
    }));
    return { service, instance, runId: track.runId, observedAt: receivedAt, breakers, transitions };
  }
}

const instanceKey = (service: string, instance: string) => `${service}\u0000${instance}`;

/** A run named after the process's metric start time, so the same process keeps its run across panel restarts. */
function runIdOf(start: bigint | null, receivedAt: number): string {
  return `otlp-${start === null ? `seen-${receivedAt}` : start.toString()}`;
}
