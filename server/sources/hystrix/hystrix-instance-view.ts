import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import type { TOutcomeCounters, TWindowSnapshot } from '../../../lib/protocol/breaker-report.js';
import type { SourceBreakerSnapshot, SourceInstanceSnapshot, SourceTransition } from '../source-snapshot';
import type { HystrixCommand } from './hystrix-command';
import { hystrixState } from './hystrix-state';
import { RollingWindowTotals } from './rolling-window-totals';

const MAX_NAME_LENGTH = 200;

interface CommandView {
  state: TBreakerState;
  totals: RollingWindowTotals;
  counters: TOutcomeCounters;
  window: TWindowSnapshot;
}

/**
 * What one connection to one Hystrix stream has seen: the last state and
 * window of every command, running totals, and the transitions not yet
 * delivered. A connection is a run (COMPAT.md §2: a stream that reconnects
 * may be a new process), so counters start again with each view;
 * `lastStates` outlives the connection, so a state that changed while the
 * stream was away becomes a transition observed at the first snapshot after
 * the gap, never one dated inside it.
 */
export class HystrixInstanceView {
  private readonly commands = new Map<string, CommandView>();
  private transitions: SourceTransition[] = [];
  private changed = false;

  constructor(
    private readonly service: string,
    private readonly instance: string,
    private readonly runId: string,
    private readonly lastStates: Map<string, TBreakerState>,
  ) {}

  accept(command: HystrixCommand, receivedAt: number): void {
    const name = command.name.slice(0, MAX_NAME_LENGTH);
    const serviceTime = command.currentTime ?? receivedAt;
    const state = hystrixState(command);
    let view = this.commands.get(name);
    const firstOfConnection = view === undefined;
    if (!view) {
      view = { state, totals: new RollingWindowTotals(), counters: { success: 0, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 }, window: { calls: 0, failureRate: 0, slowCallRate: 0 } };
      this.commands.set(name, view);
    }
    const previous = this.lastStates.get(name);
    if (previous !== undefined && previous !== state) {
      // Dated on the service's snapshot time within a connection (never in the panel's future); at receipt after a gap.
      const at = firstOfConnection ? receivedAt : Math.min(serviceTime, receivedAt);
      this.transitions.push({ breaker: name, from: previous, to: state, at });
    }
    this.lastStates.set(name, state);
    view.state = state;
    view.counters = view.totals.observe(serviceTime, command.rollingWindowMs, command.rolling);
    view.window = {
      calls: Math.max(0, Math.floor(command.requestCount ?? 0)),
      failureRate: Math.min(100, Math.max(0, command.errorPercentage ?? 0)),
      slowCallRate: 0,
    };
    this.changed = true;
  }

  /** Whether anything arrived since the last snapshot. */
  hasNews(): boolean {
    return this.changed;
  }

  /** Every command seen on this connection, and the transitions since the last snapshot (handed over once). */
  snapshot(observedAt: number): SourceInstanceSnapshot {
    const breakers: SourceBreakerSnapshot[] = [...this.commands].map(([name, view]) => ({
      name,
      state: view.state,
      counters: { ...view.counters },
      window: { ...view.window },
      // Hystrix sends precomputed percentiles only: they cannot become the panel's histogram.
      latency: null,
      writable: false,
    }));
    const transitions = this.transitions;
    this.transitions = [];
    this.changed = false;
    return { service: this.service, instance: this.instance, runId: this.runId, observedAt, breakers, transitions };
  }
}
