import type { TBreakerConfig, TBreakerReport, TBreakerState } from '../../../lib/protocol/index.js';
import type { Disposer } from '../breaker/event-hub.js';
import type { OverrideOptions, StateChangeEvent } from '../breaker/events.js';

/**
 * What the reporter needs of a breaker. CircuitBreaker implements it, and so
 * does the opossum adapter, which is how one reporter serves both.
 */
export interface ReportableBreaker {
  readonly name: string;
  readonly state: TBreakerState;
  /** The configuration sent at registration. */
  describe(): TBreakerConfig;
  /** Cumulative counters, histogram, state and window, sent every interval. */
  stats(): TBreakerReport;
  on(event: 'stateChange', listener: (event: StateChangeEvent) => void): Disposer;
  forceOpen(options?: OverrideOptions): void;
  forceClosed(options?: OverrideOptions): void;
  release(options?: Pick<OverrideOptions, 'commandId'>): void;
  reset(options?: Pick<OverrideOptions, 'commandId'>): void;
}
