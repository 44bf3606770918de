import type { TCompactReport } from '../../lib/protocol/compact-report.js';
import { COUNTER_ORDER, STATE_CODES } from '../../lib/protocol/compact-report.js';
import type { TInstanceRegister } from '../../lib/protocol/instance-register.js';
import type { TTransition } from '../../lib/protocol/transition.js';
import { instanceRun } from '../../tests/fixtures/protocol-messages';

// Latency buckets the simulated calls fall into (about 4 ms to 64 ms); the histogram is sent up to the last one.
const FIRST_LATENCY_BUCKET = 8;
const LATENCY_BUCKETS_USED = 16;
const SUCCESS = COUNTER_ORDER.indexOf('success');
const FAILURE = COUNTER_ORDER.indexOf('failure');
const SLOW = COUNTER_ORDER.indexOf('slow');
const CLOSED = STATE_CODES.indexOf('CLOSED');
const OPEN = STATE_CODES.indexOf('OPEN');

/**
 * One simulated service instance: its breakers' cumulative counters and
 * histograms, advanced by a fixed pseudo-random pattern at every report, sent
 * as compact reports (protocol version 2). The report's arrays are built once
 * and updated in place: Socket.IO encodes a message synchronously in emit(),
 * and a benchmark client that allocated every report anew would measure
 * itself more than the server.
 */
export class SimulatedInstance {
  readonly run: ReturnType<typeof instanceRun>;
  /** The probe breaker's name, when this instance carries one (its state toggles every report). */
  readonly probe: string | null;
  /** Cumulative sums over every breaker of what has been sent: the six counters, and the histogram counts. */
  counters = 0;
  histogram = 0;
  private readonly names: string[];
  private readonly report: Required<TCompactReport>;

  constructor(
    readonly service: string,
    private readonly index: number,
    breakerCount: number,
    withProbe: boolean,
    /** The name of breaker `b` (the same on every instance of the service); `dependency-b` without it. */
    nameOf: (b: number) => string = (b) => `dependency-${b}`,
  ) {
    this.run = instanceRun(service, `${service}-host-${index}`);
    this.probe = withProbe ? `probe-${index}` : null;
    // Instances of a service share breaker names, so the panel aggregates them service-wide; the probe is the instance's own.
    this.names = Array.from({ length: breakerCount }, (_, b) => (b === 0 && this.probe ? this.probe : nameOf(b)));
    const perBreaker = (value: number) => new Array<number>(breakerCount).fill(value);
    this.report = {
      sequence: 0,
      sentAt: 0,
      droppedTransitions: 0,
      state: perBreaker(CLOSED),
      wouldBe: perBreaker(CLOSED),
      counters: new Array<number>(breakerCount * COUNTER_ORDER.length).fill(0),
      windowCalls: perBreaker(20),
      failureRate: perBreaker(0),
      slowCallRate: perBreaker(0),
      latency: this.names.map(() => new Array<number>(FIRST_LATENCY_BUCKET + LATENCY_BUCKETS_USED).fill(0)),
      heldOverrides: [],
    };
  }

  registration(): TInstanceRegister {
    return this.run.register(this.names, { zone: `zone-${this.index % 3}` });
  }

  /** The next report, with every counter moved on; valid until the next call. */
  nextReport(): TCompactReport {
    const report = this.report;
    const sequence = (report.sequence += 1);
    report.sentAt = Date.now();
    for (let b = 0; b < this.names.length; b++) {
      const calls = 1 + ((sequence * 31 + b * 17 + this.index) & 15);
      const failed = (sequence + b) % 7 === 0 ? 1 : 0;
      const slow = (sequence + b) % 11 === 0 ? 1 : 0;
      const at = b * COUNTER_ORDER.length;
      report.counters[at + SUCCESS]! += calls;
      report.counters[at + FAILURE]! += failed;
      report.counters[at + SLOW]! += slow;
      report.latency[b]![FIRST_LATENCY_BUCKET + ((sequence + b) & (LATENCY_BUCKETS_USED - 1))]! += calls + failed;
      report.failureRate[b] = failed * 5;
      this.counters += calls + failed + slow;
      this.histogram += calls + failed;
    }
    if (this.probe) report.state[0] = report.wouldBe[0] = sequence % 2 === 1 ? OPEN : CLOSED;
    return report;
  }

  /** The probe breaker's change in the report last built, as the transition a reporter sends at once (the next sequence number). */
  probeTransition(): TTransition {
    const to = this.probeState();
    return this.run.transition(this.probe!, to === 'OPEN' ? 'CLOSED' : 'OPEN', to);
  }

  /** The probe breaker's state in the report last built. */
  probeState(): 'OPEN' | 'CLOSED' {
    return this.report.state[0] === OPEN ? 'OPEN' : 'CLOSED';
  }
}
