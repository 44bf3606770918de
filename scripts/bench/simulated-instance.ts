import type { TBreakerReport, TReport } from '../../lib/protocol/breaker-report.js';
import type { TInstanceRegister } from '../../lib/protocol/instance-register.js';
import { instanceRun } from '../../tests/fixtures/protocol-messages';

// Latency buckets the simulated calls fall into (about 4 ms to 64 ms); the histogram is sent up to the last one.
const FIRST_LATENCY_BUCKET = 8;
const LATENCY_BUCKETS_USED = 16;

/**
 * One simulated service instance: its breakers' cumulative counters and
 * histograms, advanced by a fixed pseudo-random pattern at every report. The
 * report objects are built once and updated in place: Socket.IO encodes a
 * message synchronously in emit(), and a benchmark client that allocates
 * 100,000 breaker objects a second would measure itself more than the server.
 */
export class SimulatedInstance {
  readonly run: ReturnType<typeof instanceRun>;
  /** The probe breaker's name, when this instance carries one (its state toggles every report). */
  readonly probe: string | null;
  /** Cumulative sums over every breaker of what has been sent: the six counters, and the histogram counts. */
  counters = 0;
  histogram = 0;
  private readonly breakers: TBreakerReport[];
  private readonly names: string[];

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
    this.breakers = this.names.map((name) => this.run.breaker(name, {}, 'CLOSED', new Array<number>(FIRST_LATENCY_BUCKET + LATENCY_BUCKETS_USED).fill(0)));
  }

  registration(): TInstanceRegister {
    return this.run.register(this.names, { zone: `zone-${this.index % 3}` });
  }

  /** The next report, with every counter moved on; valid until the next call. */
  nextReport(): TReport {
    const report = this.run.report(this.breakers);
    const sequence = report.sequence;
    for (let b = 0; b < this.breakers.length; b++) {
      const item = this.breakers[b]!;
      const calls = 1 + ((sequence * 31 + b * 17 + this.index) & 15);
      const failed = (sequence + b) % 7 === 0 ? 1 : 0;
      const slow = (sequence + b) % 11 === 0 ? 1 : 0;
      item.counters.success += calls;
      item.counters.failure += failed;
      item.counters.slow += slow;
      item.latency.counts[FIRST_LATENCY_BUCKET + ((sequence + b) & (LATENCY_BUCKETS_USED - 1))]! += calls + failed;
      item.latency.sumMs += (calls + failed) * 20;
      item.window.calls = 20;
      item.window.failureRate = failed * 5;
      this.counters += calls + failed + slow;
      this.histogram += calls + failed;
    }
    if (this.probe) {
      const probe = this.breakers[0]!;
      probe.state = probe.wouldBe = sequence % 2 === 1 ? 'OPEN' : 'CLOSED';
    }
    return report;
  }

  /** The probe breaker's state in the report last built. */
  probeState(): 'OPEN' | 'CLOSED' {
    return this.breakers[0]!.state === 'OPEN' ? 'OPEN' : 'CLOSED';
  }
}
