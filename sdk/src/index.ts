/**
 * @breaker-panel/sdk — a circuit breaker, and the reporter that connects it
 * to Breaker Panel.
 */
export { CircuitBreaker, createCircuitBreaker, type ProtectedCall } from './breaker/circuit-breaker.js';
export type { CircuitBreakerOptions, FallbackReason } from './breaker/options.js';
export type { BreakerEvents, OverrideOptions, StateChangeEvent } from './breaker/events.js';
export type { Disposer } from './breaker/event-hub.js';
export { BreakerOpenError, BreakerTimeoutError, isBreakerOpenError, isBreakerTimeoutError } from './breaker/errors.js';
export { createTurnClock, preciseClock, type Clock } from './breaker/clock.js';
export {
  LATENCY_BUCKET_BOUNDS_MS,
  LATENCY_BUCKET_COUNT,
  latencyBucketIndex,
  latencyQuantile,
  PROTOCOL_VERSION,
  type TAutomaticState,
  type TBreakerConfig,
  type TBreakerReport,
  type TBreakerState,
  type TTransitionCause,
} from '../../lib/protocol/index.js';
export { connectPanel, type PanelReporter, type PanelReporterOptions, type ReporterEvents, type ReporterStatus } from './reporter/connect-panel.js';
export type { ReportableBreaker } from './reporter/reportable-breaker.js';
export type { CommandOutcome } from './reporter/command-applier.js';
export { SDK_NAME, SDK_VERSION } from './version.js';
export { instrumentOpossum, type InstrumentedOpossum, type InstrumentOpossumOptions, type OpossumLike } from './adapters/opossum.js';
