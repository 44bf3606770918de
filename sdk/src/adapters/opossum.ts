import { ZName, type TAutomaticState, type TBreakerConfig, type TBreakerReport, type TBreakerState, type TTransitionCause } from '../../../lib/protocol/index.js';
import type { Override } from '../breaker/automatic-state.js';
import { BREAKER_NAME_RULE } from '../breaker/options.js';
import { createEventHub, type Disposer } from '../breaker/event-hub.js';
import type { OverrideOptions, StateChangeEvent } from '../breaker/events.js';
import { OutcomeRecorder } from '../breaker/outcome-recorder.js';
import type { PanelReporter } from '../reporter/connect-panel.js';
import type { ReportableBreaker } from '../reporter/reportable-breaker.js';

/**
 * The part of an opossum CircuitBreaker the adapter uses, described
 * structurally so the SDK needs neither opossum nor its types installed.
 */
export interface OpossumLike {
  readonly name: string;
  readonly opened: boolean;
  readonly halfOpen: boolean;
  /** opossum sets it; its published types omit it, hence optional. */
  readonly options?: {
    timeout?: number | false;
    errorThresholdPercentage?: number;
    resetTimeout?: number;
    rollingCountTimeout?: number;
    volumeThreshold?: number;
  };
  readonly stats: { successes: number; failures: number };
  open(): void;
  close(): void;
  enable(): void;
  disable(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Options of instrumentOpossum(). */
export interface InstrumentOpossumOptions {
  /** Default: the opossum breaker's own name. */
  name?: string;
  /** Report through this reporter (the breaker is added to it). */
  reporter?: PanelReporter;
  /** Calls slower than this (ms) count as slow; opossum has no such notion. Default: not tracked. */
  slowCallThreshold?: number;
  /** Epoch ms, for override expiry. Default Date.now. */
  now?: () => number;
}

/** An opossum breaker as the reporter sees it; dispose() stops listening. */
export interface InstrumentedOpossum extends ReportableBreaker {
  dispose(): void;
}

/**
 * Reports an existing opossum breaker to the panel and lets operators steer
 * it, without changing how the service calls it. Outcomes are counted from
 * opossum's events (its own stats are a rolling window, ours are cumulative).
 *
 * Commands map to opossum's API: trip → open() and re-open whenever opossum's
 * reset timer half-opens it; force_closed → close() + disable() (opossum
 * bypasses itself when disabled, so calls are not counted in that state);
 * reset/release → enable() + close().
 */
export function instrumentOpossum(breaker: OpossumLike, options: InstrumentOpossumOptions = {}): InstrumentedOpossum {
  const name = options.name ?? breaker.name;
  if (!ZName.safeParse(name).success) throw new RangeError(`instrumentOpossum: ${BREAKER_NAME_RULE}`);
  const now = options.now ?? Date.now;
  const slowCallThreshold = options.slowCallThreshold ?? Infinity;
  const outcomes = new OutcomeRecorder();
  const events = createEventHub<{ stateChange: StateChangeEvent }>();
  // A timeout makes opossum emit `timeout` and then `failure` for the same error: count it once.
  const timedOut = new WeakSet<object>();
  let override: Override | null = null;
  // Our own open()/close() calls make opossum emit events we must not report as automatic.
  let steering = false;

  const automaticState = (): TAutomaticState => (breaker.opened ? 'OPEN' : breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED');
  const publicState = (): TBreakerState => override?.state ?? automaticState();

  function windowSnapshot() {
    const calls = breaker.stats.successes + breaker.stats.failures;
    return { calls, failureRate: calls === 0 ? 0 : (breaker.stats.failures / calls) * 100, slowCallRate: 0 };
  }

  function change(cause: TTransitionCause, commandId: string | null, apply: () => void): void {
    const from = publicState();
    steering = true;
    try {
      apply();
    } finally {
      steering = false;
    }
    lastAutomatic = automaticState();
    const to = publicState();
    if (from === to) return;
    const { failureRate, slowCallRate } = windowSnapshot();
    events.emit('stateChange', { breaker: name, from, to, wouldBe: automaticState(), cause, at: Math.round(now()), failureRate, slowCallRate, commandId });
  }

  function expireOverride(): void {
    if (override?.expiresAt != null && now() >= override.expiresAt) release0('override_expired', null);
  }

  function release0(cause: TTransitionCause, commandId: string | null): void {
    change(cause, commandId, () => {
      override = null;
      breaker.enable();
      breaker.close();
    });
  }

  function recordCall(latencyMs: unknown): boolean {
    const durationMs = typeof latencyMs === 'number' ? latencyMs : 0;
    outcomes.recordLatency(durationMs);
    const slow = durationMs > slowCallThreshold;
    if (slow) outcomes.slow += 1;
    return slow;
  }

  let lastAutomatic: TAutomaticState = automaticState();

  /** A listener for one of opossum's own state events. */
  function onAutomatic(causeFrom: (from: TAutomaticState) => TTransitionCause) {
    return () => {
      if (steering) return;
      if (override?.state === 'FORCED_OPEN' && breaker.halfOpen) {
        // opossum's reset timer half-opened a tripped breaker: hold it open.
        steering = true;
        breaker.open();
        steering = false;
        return;
      }
      const from = lastAutomatic;
      const to = automaticState();
      lastAutomatic = to;
      if (override !== null || from === to) return; // hidden by the override, or no change
      const { failureRate, slowCallRate } = windowSnapshot();
      events.emit('stateChange', { breaker: name, from, to, wouldBe: to, cause: causeFrom(from), at: Math.round(now()), failureRate, slowCallRate, commandId: null });
    };
  }
  const onOpen = onAutomatic((from) => (from === 'HALF_OPEN' ? 'trial_failed' : 'failure_rate'));
  const onHalfOpen = onAutomatic(() => 'open_timeout_elapsed');
  const onClose = onAutomatic(() => 'trials_succeeded');
  const onSuccess = (_result: unknown, latencyMs: unknown) => {
    recordCall(latencyMs);
    outcomes.success += 1;
  };
  const onFailure = (error: unknown, latencyMs: unknown) => {
    if (typeof error === 'object' && error !== null && timedOut.has(error)) return;
    recordCall(latencyMs);
    outcomes.failure += 1;
  };
  const onTimeout = (error: unknown, latencyMs: unknown) => {
    if (typeof error === 'object' && error !== null) timedOut.add(error);
    outcomes.recordLatency(typeof latencyMs === 'number' ? latencyMs : 0);
    outcomes.timeout += 1;
  };
  const onReject = () => {
    outcomes.rejected += 1;
  };
  const onFallback = () => {
    outcomes.fallback += 1;
  };
  const listeners: Array<[string, (...args: unknown[]) => void]> = [
    ['open', onOpen],
    ['halfOpen', onHalfOpen],
    ['close', onClose],
    ['success', onSuccess],
    ['failure', onFailure],
    ['timeout', onTimeout],
    ['reject', onReject],
    ['fallback', onFallback],
  ];
  for (const [event, listener] of listeners) breaker.on(event, listener);

  const instrumented: InstrumentedOpossum = {
    name,
    get state() {
      expireOverride();
      return publicState();
    },
    describe(): TBreakerConfig {
      const settings = breaker.options ?? {};
      const timeout = settings.timeout;
      return {
        implementation: 'opossum',
        window: { type: 'time', seconds: Math.max(1, Math.round((settings.rollingCountTimeout ?? 10_000) / 1000)) },
        failureRateThreshold: settings.errorThresholdPercentage ?? 50,
        slowCallThresholdMs: Number.isFinite(slowCallThreshold) ? slowCallThreshold : null,
        slowCallRateThreshold: null,
        minimumCalls: settings.volumeThreshold ?? 0,
        openTimeoutMs: settings.resetTimeout ?? 30_000,
        openTimeoutBackoff: null,
        halfOpenMaxCalls: 1,
        callTimeoutMs: typeof timeout === 'number' && timeout > 0 ? timeout : null,
        hasFallback: false,
      };
    },
    stats(): TBreakerReport {
      expireOverride();
      return {
        name,
        state: publicState(),
        wouldBe: automaticState(),
        override: override ? { ...override } : null,
        counters: outcomes.counters(),
        latency: outcomes.histogram(),
        window: windowSnapshot(),
      };
    },
    on: (_event, listener) => events.on('stateChange', listener),
    forceOpen(overrideOptions: OverrideOptions = {}) {
      const commandId = overrideOptions.commandId ?? null;
      change(commandId ? 'command' : 'manual', commandId, () => {
        override = { state: 'FORCED_OPEN', expiresAt: overrideOptions.expiresAt ?? null, commandId };
        breaker.enable();
        breaker.open();
      });
    },
    forceClosed(overrideOptions: OverrideOptions = {}) {
      const commandId = overrideOptions.commandId ?? null;
      change(commandId ? 'command' : 'manual', commandId, () => {
        override = { state: 'FORCED_CLOSED', expiresAt: overrideOptions.expiresAt ?? null, commandId };
        breaker.close();
        breaker.disable();
      });
    },
    release(releaseOptions = {}) {
      if (override === null) return;
      const commandId = releaseOptions.commandId ?? null;
      release0(commandId ? 'command' : 'manual', commandId);
    },
    reset(resetOptions = {}) {
      const commandId = resetOptions.commandId ?? null;
      release0(commandId ? 'command' : 'manual', commandId);
    },
    dispose() {
      for (const [event, listener] of listeners) breaker.removeListener(event, listener);
      removeFromReporter?.();
    },
  };
  const removeFromReporter: Disposer | undefined = options.reporter?.add(instrumented);
  return instrumented;
}
