import { describe, expect, it } from 'vitest';
import { ZExportMetricsRequest } from '../../../server/sources/otlp/otlp-metrics-request';
import { decodeMetricsRequest, encodeMetricsRequest } from '../../../server/sources/otlp/otlp-protobuf';
import { replayCircuit } from '../../../server/sources/otlp/polly-circuit-replay';
import { PollyCircuitTracker, pollyBreakerName } from '../../../server/sources/otlp/polly-circuit-tracker';

const counts = (opened: number, halfOpened: number, closed: number) => ({ opened, halfOpened, closed });
const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
const RECEIVER_START = 1_000_000;
const nanos = (ms: number) => String(BigInt(ms) * 1_000_000n);

/** An export of Polly's event counter for one breaker: `values` by event name. */
function exportOf(values: Record<string, number>, { start = RECEIVER_START + 1, time = RECEIVER_START + 60_000, temporality = 2, instance = 'i-1' } = {}) {
  return ZExportMetricsRequest.parse({
    resourceMetrics: [
      {
        resource: { attributes: [text('service.name', 'orders'), text('service.instance.id', instance)] },
        scopeMetrics: [
          {
            scope: { name: 'Polly' },
            metrics: [
              {
                name: 'resilience.polly.strategy.events',
                sum: {
                  aggregationTemporality: temporality,
                  isMonotonic: true,
                  dataPoints: [
                    { startTimeUnixNano: nanos(start), timeUnixNano: nanos(time), asInt: '7', attributes: [text('event.name', 'PipelineExecuting'), text('pipeline.name', 'orders-http')] },
                    ...Object.entries(values).map(([event, value]) => ({
                      startTimeUnixNano: nanos(start),
                      timeUnixNano: nanos(time),
                      asInt: String(value),
                      attributes: [text('event.name', event), text('pipeline.name', 'orders-http'), text('strategy.name', 'cb')],
                    })),
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('replayCircuit', () => {
  it("explains every event with the circuit's own moves, closing last when several orders fit", () => {
    expect(replayCircuit('CLOSED', counts(1, 1, 1))).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
    expect(replayCircuit('HALF_OPEN', counts(1, 1, 1))).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
    expect(replayCircuit('CLOSED', counts(4, 3, 3)).at(-1)).toBe('OPEN');
    expect(replayCircuit('CLOSED', counts(4, 4, 3)).at(-1)).toBe('CLOSED');
    expect(replayCircuit('CLOSED', counts(2, 2, 1))).toEqual(['OPEN', 'HALF_OPEN', 'OPEN', 'HALF_OPEN', 'CLOSED']);
  });

  it('falls back to a walk for counts no regular order explains (a manual close, a lost export)', () => {
    expect(replayCircuit('CLOSED', counts(1, 0, 1))).toEqual(['OPEN', 'CLOSED']);
    expect(replayCircuit('CLOSED', counts(0, 1, 0))).toEqual(['HALF_OPEN']);
    expect(replayCircuit('CLOSED', counts(0, 0, 2))).toEqual([]);
    expect(replayCircuit('CLOSED', counts(0, 0, 0))).toEqual([]);
    expect(replayCircuit('CLOSED', counts(5_000, 5_000, 4_999)).length).toBeLessThanOrEqual(15_000);
  });
});

describe('PollyCircuitTracker', () => {
  it('names breakers by pipeline, pipeline instance and strategy (CircuitBreaker when unnamed)', () => {
    expect(pollyBreakerName([text('pipeline.name', 'p'), text('pipeline.instance', 'x'), text('strategy.name', 's')])).toBe('p/x/s');
    expect(pollyBreakerName([text('pipeline.name', 'p')])).toBe('p/CircuitBreaker');
  });

  it('turns growing cumulative counters into states and transitions, skipping events that are not circuit events', () => {
    const tracker = new PollyCircuitTracker(RECEIVER_START);
    const first = tracker.apply(exportOf({ OnCircuitOpened: 1 }), 'orders', RECEIVER_START + 60_000);
    expect(first.snapshots).toHaveLength(1);
    expect(first.snapshots[0]!.breakers).toEqual([
      { name: 'orders-http/cb', state: 'OPEN', counters: { success: 0, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 }, window: null, latency: null, writable: false },
    ]);
    expect(first.snapshots[0]!.transitions).toEqual([{ breaker: 'orders-http/cb', from: 'CLOSED', to: 'OPEN', at: RECEIVER_START + 60_000 }]);
    // The same export again (a retry) adds nothing.
    expect(tracker.apply(exportOf({ OnCircuitOpened: 1 }), 'orders', RECEIVER_START + 61_000).snapshots[0]!.transitions).toEqual([]);
    const next = tracker.apply(exportOf({ OnCircuitOpened: 1, OnCircuitHalfOpened: 1, OnCircuitClosed: 1 }, { time: RECEIVER_START + 120_000 }), 'orders', RECEIVER_START + 120_500);
    expect(next.snapshots[0]!.transitions.map(({ from, to }) => `${from}>${to}`)).toEqual(['OPEN>HALF_OPEN', 'HALF_OPEN>CLOSED']);
    expect(next.snapshots[0]!.breakers[0]!.state).toBe('CLOSED');
  });

  it('forgets an export whose snapshots were not delivered, so its retry counts again', () => {
    const tracker = new PollyCircuitTracker(RECEIVER_START);
    tracker.apply(exportOf({ OnCircuitOpened: 1 }), 'orders', RECEIVER_START + 60_000);
    const undelivered = tracker.apply(exportOf({ OnCircuitOpened: 1, OnCircuitHalfOpened: 1 }), 'orders', RECEIVER_START + 61_000);
    undelivered.rollback();
    const retried = tracker.apply(exportOf({ OnCircuitOpened: 1, OnCircuitHalfOpened: 1 }), 'orders', RECEIVER_START + 62_000).snapshots[0]!;
    expect(retried.transitions.map(({ from, to }) => `${from}>${to}`)).toEqual(['OPEN>HALF_OPEN']);
    const fresh = new PollyCircuitTracker(RECEIVER_START);
    fresh.apply(exportOf({ OnCircuitOpened: 1 }, { instance: 'i-9' }), 'orders', RECEIVER_START).rollback();
    expect(fresh.apply(exportOf({ OnCircuitOpened: 1 }, { instance: 'i-9' }), 'orders', RECEIVER_START).snapshots[0]!.transitions).toHaveLength(1);
  });

  it('treats a new start time or a smaller value as a restart: a new run counting from zero', () => {
    const tracker = new PollyCircuitTracker(RECEIVER_START);
    const before = tracker.apply(exportOf({ OnCircuitOpened: 3, OnCircuitHalfOpened: 3, OnCircuitClosed: 3 }), 'orders', RECEIVER_START + 60_000).snapshots[0]!;
    const after = tracker.apply(exportOf({ OnCircuitOpened: 1 }, { start: RECEIVER_START + 90_000, time: RECEIVER_START + 120_000 }), 'orders', RECEIVER_START + 120_000).snapshots[0]!;
    expect(after.runId).not.toBe(before.runId);
    expect(after.breakers[0]!.state).toBe('OPEN');
    expect(after.transitions).toEqual([{ breaker: 'orders-http/cb', from: 'CLOSED', to: 'OPEN', at: RECEIVER_START + 120_000 }]);
  });

  it('adds DELTA exports as they come, once per (start, time)', () => {
    const tracker = new PollyCircuitTracker(RECEIVER_START);
    const window = { temporality: 1, start: RECEIVER_START + 1, time: RECEIVER_START + 60_000 };
    expect(tracker.apply(exportOf({ OnCircuitOpened: 1 }, window), 'orders', RECEIVER_START + 60_000).snapshots[0]!.breakers[0]!.state).toBe('OPEN');
    expect(tracker.apply(exportOf({ OnCircuitOpened: 1 }, window), 'orders', RECEIVER_START + 60_000).snapshots[0]!.transitions).toEqual([]);
    const later = tracker.apply(exportOf({ OnCircuitHalfOpened: 1 }, { temporality: 1, start: RECEIVER_START + 60_000, time: RECEIVER_START + 120_000 }), 'orders', RECEIVER_START + 120_000);
    expect(later.snapshots[0]!.breakers[0]!.state).toBe('HALF_OPEN');
  });

  it('gives a process older than the receiver its state without repeating its history, and ignores resources without breakers', () => {
    const tracker = new PollyCircuitTracker(RECEIVER_START);
    const old = tracker.apply(exportOf({ OnCircuitOpened: 2, OnCircuitHalfOpened: 1, OnCircuitClosed: 1 }, { start: RECEIVER_START - 5_000 }), 'orders', RECEIVER_START + 60_000).snapshots[0]!;
    expect(old.breakers[0]!.state).toBe('OPEN');
    expect(old.transitions).toEqual([]);
    expect(tracker.apply(exportOf({}, { instance: 'quiet' }), 'orders', RECEIVER_START + 60_000).snapshots).toEqual([]);
  });
});

describe('OTLP protobuf decoding', () => {
  it('gives the same request as OTLP/JSON, 64-bit integers as strings', () => {
    const json = {
      resourceMetrics: [
        {
          resource: { attributes: [text('service.name', 'orders')] },
          scopeMetrics: [
            {
              scope: { name: 'Polly' },
              metrics: [
                {
                  name: 'resilience.polly.strategy.events',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [{ startTimeUnixNano: '1741082400000000000', timeUnixNano: '1741082460000000000', asInt: '3', attributes: [text('event.name', 'OnCircuitOpened')] }],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    expect(ZExportMetricsRequest.parse(decodeMetricsRequest(encodeMetricsRequest(json)))).toEqual(ZExportMetricsRequest.parse(json));
  });

  it('throws on bytes that are no such message', () => {
    expect(() => decodeMetricsRequest(Buffer.from('definitely not protobuf'))).toThrow();
  });
});
