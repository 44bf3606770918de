import type { TAutomaticState, TBreakerConfig, TBreakerReport, TBreakerState, TTransitionCause } from '../../../lib/protocol/index.js';
import { assertNever, CLOSED_STATE, type AutomaticState, type Override } from './automatic-state.js';
import { createTurnClock, preciseClock, type Clock } from './clock.js';
import { BreakerOpenError, BreakerTimeoutError, isBreakerTimeoutError } from './errors.js';
import { createEventHub, type Disposer, type EventHub } from './event-hub.js';
import type { BreakerEvents, OverrideOptions, StateChangeEvent } from './events.js';
import { describeOptions, resolveOptions, type CircuitBreakerOptions, type FallbackReason, type ResolvedOptions } from './options.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { SettleObservers } from './settle-observers.js';
import { createSlidingWindow, snapshotWindow, type SlidingWindow } from './sliding-window.js';

// What admission decided for a call. Plain numbers: compared on every call.
const REJECT = 0;
/** CLOSED: the outcome feeds the window. */
const TRACKED = 1;
/** HALF_OPEN trial: the outcome decides CLOSED or OPEN. */
const TRIAL = 2;
/** Passed only because of FORCED_CLOSED: counted, but the automatic machine would not have made it. */
const UNTRACKED = 3;
type Permit = typeof REJECT | typeof TRACKED | typeof TRIAL | typeof UNTRACKED;

// Calls made without a timeout get this signal, which never aborts: one shared
// object instead of an AbortController per call.
const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** A function a breaker protects; it receives an AbortSignal that aborts on the breaker's timeout. */
export type ProtectedCall<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/**
 * A circuit breaker (PRODUCT.md, "The circuit breaker itself"). The transition
 * table is beside AutomaticState in automatic-state.ts.
 *
 * `execute` has a fast path for the common case (CLOSED, no override, no
 * timeout, no fallback): it hands back the promise `fn` returned and observes
 * it, so it costs one `.then` instead of an extra async frame.
 */
export class CircuitBreaker<TFallback = never> {
  /** The breaker's name, unique within its service. */
  readonly name: string;
  private readonly options: ResolvedOptions<TFallback>;
  private readonly clock: Clock;
  private readonly window: SlidingWindow;
  private readonly outcomes = new OutcomeRecorder();
  private readonly events: EventHub<BreakerEvents> = createEventHub<BreakerEvents>();
  private auto: AutomaticState = CLOSED_STATE;
  private override: Override | null = null;
  /** Bumped on every automatic transition; a call's outcome only steers the state it was admitted in. */
  private generation = 0;
  /** CLOSED, no override, no timeout, no fallback: nothing to check per call. */
  private fastPath: boolean;
  /** Only a time window can see its rates rise on a success (older successes age out). */
  private readonly evaluateOnSuccess: boolean;
  /** The fast path's outcome callbacks, shared by the calls of one turn and generation. */
  private readonly tracked: SettleObservers;
  /**
   * A success that is not slow changes nothing but the counters and histogram:
   * CLOSED, a window that absorbs it (a full count window with no failure or
   * slow call in it) and no success listener. Kept current by every window
   * record, state change and subscription.
   */
  private quietSuccess = false;

  constructor(options: CircuitBreakerOptions<TFallback>) {
    this.options = resolveOptions(options);
    this.name = this.options.name;
    this.clock = options.clock ?? createTurnClock(preciseClock, () => this.tracked.endTurn());
    this.tracked = new SettleObservers(this.clock, options.clock === undefined, (start, generation) => ({
      start,
      generation,
      onFulfilled: () => this.completeWithSuccess(TRACKED, generation, start),
      onRejected: (error) => {
        this.completeWithError(TRACKED, generation, start, error);
      },
    }));
    this.window = createSlidingWindow(this.options.window);
    this.fastPath = this.computeFastPath();
    this.evaluateOnSuccess = this.options.window.type === 'time';
  }

  /** The public state (an override hides the automatic one). */
  get state(): TBreakerState {
    this.refresh(this.clock.now());
    return this.override?.state ?? this.auto.kind;
  }

  /** The state the automatic machine is in: what the breaker would be without an override. */
  get wouldBe(): TAutomaticState {
    this.refresh(this.clock.now());
    return this.auto.kind;
  }

  /**
   * Runs `fn` under the breaker. Rejects with BreakerOpenError when the call is
   * short-circuited, with BreakerTimeoutError when `timeout` elapses, else as
   * `fn` does — unless a fallback answers instead.
   */
  execute<T>(fn: ProtectedCall<T>): Promise<T | TFallback> {
    if (!this.fastPath) return this.executeGuarded(fn);
    const observer = this.tracked.get(this.generation);
    let result: T | PromiseLike<T>;
    try {
      result = fn(NEVER_ABORTED);
    } catch (error) {
      this.completeWithError(TRACKED, observer.generation, observer.start, error);
      return Promise.reject(error);
    }
    if (result instanceof Promise) {
      const promise = result as Promise<T>;
      promise.then(observer.onFulfilled, observer.onRejected);
      return promise;
    }
    if (isThenable(result)) return this.executeGuarded(() => result);
    this.completeWithSuccess(TRACKED, observer.generation, observer.start);
    return Promise.resolve(result);
  }

  /** Wraps a function so that every call of the result runs under this breaker. */
  wrap<TArgs extends unknown[], T>(fn: (...args: TArgs) => T | PromiseLike<T>): (...args: TArgs) => Promise<T | TFallback> {
    return (...args: TArgs) => this.execute(() => fn(...args));
  }

  /** Subscribes to an event; the returned function unsubscribes. */
  on<K extends keyof BreakerEvents>(event: K, listener: (payload: BreakerEvents[K]) => void): Disposer {
    const dispose = this.events.on(event, listener);
    this.quietSuccess = this.computeQuietSuccess();
    return () => {
      dispose();
      this.quietSuccess = this.computeQuietSuccess();
    };
  }

  /** FORCED_OPEN: every call is rejected until release() or `expiresAt`. */
  forceOpen(options: OverrideOptions = {}): void {
    this.setOverride('FORCED_OPEN', options);
  }

  /** FORCED_CLOSED: every call passes, outcomes still recorded, until release() or `expiresAt`. */
  forceClosed(options: OverrideOptions = {}): void {
    this.setOverride('FORCED_CLOSED', options);
  }

  /** Removes the override and resumes automatic behaviour from CLOSED; does nothing without one. */
  release(options: Pick<OverrideOptions, 'commandId'> = {}): void {
    if (this.override === null) return;
    this.returnToClosed(options.commandId ? 'command' : 'manual', options.commandId ?? null, this.clock.now());
  }

  /** Back to CLOSED with a fresh window and no backoff, clearing any override. */
  reset(options: Pick<OverrideOptions, 'commandId'> = {}): void {
    this.returnToClosed(options.commandId ? 'command' : 'manual', options.commandId ?? null, this.clock.now());
  }

  /** The configuration as reported to the panel. */
  describe(): TBreakerConfig {
    return describeOptions(this.options);
  }

  /** State, cumulative counters, latency histogram and the current window, as reported to the panel. */
  stats(): TBreakerReport {
    const now = this.clock.now();
    this.refresh(now);
    return {
      name: this.name,
      state: this.override?.state ?? this.auto.kind,
      wouldBe: this.auto.kind,
      override: this.override ? { ...this.override } : null,
      counters: this.outcomes.counters(),
      latency: this.outcomes.histogram(),
      window: snapshotWindow(this.window, now),
    };
  }

  private async executeGuarded<T>(fn: ProtectedCall<T>): Promise<T | TFallback> {
    const start = this.clock.now();
    const permit = this.admit(start);
    if (permit === REJECT) return this.rejectCall();
    const generation = this.generation;
    try {
      const value = this.options.timeout === null ? await fn(NEVER_ABORTED) : await this.callWithTimeout(fn, this.options.timeout);
      this.completeWithSuccess(permit, generation, start);
      return value;
    } catch (error) {
      const reason = this.completeWithError(permit, generation, start, error);
      if (reason === null || this.options.fallback === null) throw error;
      return this.useFallback(error, reason);
    }
  }

  private callWithTimeout<T>(fn: ProtectedCall<T>, timeoutMs: number): Promise<T> {
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new BreakerTimeoutError(this.name, timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
      const settle = (): void => clearTimeout(timer);
      try {
        Promise.resolve(fn(controller.signal)).then(
          (value) => {
            settle();
            resolve(value);
          },
          (error: unknown) => {
            settle();
            reject(error);
          },
        );
      } catch (error) {
        settle();
        reject(error);
      }
    });
  }

  private rejectCall(): Promise<TFallback> {
    this.outcomes.rejected += 1;
    const state = this.override?.state ?? this.auto.kind;
    if (this.events.has('rejected')) this.events.emit('rejected', { breaker: this.name, state });
    const error = new BreakerOpenError(this.name, state);
    if (this.options.fallback === null) return Promise.reject(error);
    return this.useFallback(error, 'rejected');
  }

  private async useFallback(error: unknown, reason: FallbackReason): Promise<TFallback> {
    const fallback = this.options.fallback as NonNullable<ResolvedOptions<TFallback>['fallback']>;
    const value = await fallback(error, reason);
    this.outcomes.fallback += 1;
    if (this.events.has('fallback')) this.events.emit('fallback', { breaker: this.name, reason, error });
    return value;
  }

  /** Decides whether a call may run; may move OPEN → HALF_OPEN or end an expired override first. */
  private admit(now: number): Permit {
    this.refresh(now);
    const forcedClosed = this.override !== null;
    if (this.override?.state === 'FORCED_OPEN') return REJECT;
    const auto = this.auto;
    switch (auto.kind) {
      case 'CLOSED':
        return TRACKED;
      case 'OPEN':
        return forcedClosed ? UNTRACKED : REJECT;
      case 'HALF_OPEN':
        if (auto.trialsStarted < this.options.halfOpenMaxCalls) {
          auto.trialsStarted += 1;
          return TRIAL;
        }
        return forcedClosed ? UNTRACKED : REJECT;
      default:
        return assertNever(auto);
    }
  }

  /** Applies what the passage of time decides: override expiry and the end of the open timeout. */
  private refresh(now: number): void {
    if (this.override?.expiresAt != null && now >= this.override.expiresAt) {
      this.returnToClosed('override_expired', null, now);
    }
    const auto = this.auto;
    if (auto.kind === 'OPEN' && now >= auto.until) {
      const rates = snapshotWindow(this.window, now);
      this.changeAutomatic({ kind: 'HALF_OPEN', trialsStarted: 0, trialsSucceeded: 0, consecutiveTrips: auto.consecutiveTrips }, 'open_timeout_elapsed', now, rates.failureRate, rates.slowCallRate);
    }
  }

  private completeWithSuccess(permit: Permit, generation: number, start: number): void {
    const end = this.clock.now();
    const durationMs = end - start;
    const slow = durationMs > this.options.slowCallThreshold;
    this.outcomes.success += 1;
    this.outcomes.recordLatency(durationMs);
    if (!slow && this.quietSuccess) return;
    if (slow) this.outcomes.slow += 1;
    if (generation === this.generation) this.steer(permit, false, slow, end);
    if (this.events.has('success')) this.events.emit('success', { breaker: this.name, durationMs, slow });
  }

  /** Records a failed call; returns why a fallback may answer it, or null when the error does not count as a failure. */
  private completeWithError(permit: Permit, generation: number, start: number, error: unknown): FallbackReason | null {
    const end = this.clock.now();
    const durationMs = end - start;
    this.outcomes.recordLatency(durationMs);
    const steers = generation === this.generation;
    if (isBreakerTimeoutError(error) && error.breaker === this.name) {
      this.outcomes.timeout += 1;
      if (steers) this.steer(permit, true, false, end);
      if (this.events.has('timeout')) this.events.emit('timeout', { breaker: this.name, durationMs, error });
      return 'timeout';
    }
    const slow = durationMs > this.options.slowCallThreshold;
    if (slow) this.outcomes.slow += 1;
    if (!this.countsAsFailure(error)) {
      // An error the host says is a normal answer (a 404): the dependency is healthy.
      this.outcomes.success += 1;
      if (steers) this.steer(permit, false, slow, end);
      if (this.events.has('success')) this.events.emit('success', { breaker: this.name, durationMs, slow });
      return null;
    }
    this.outcomes.failure += 1;
    if (steers) this.steer(permit, true, slow, end);
    if (this.events.has('failure')) this.events.emit('failure', { breaker: this.name, durationMs, slow, error });
    return 'failure';
  }

  private countsAsFailure(error: unknown): boolean {
    if (this.options.isFailure === null) return true;
    try {
      return this.options.isFailure(error);
    } catch {
      return true; // a broken predicate must not hide failures
    }
  }

  /** Feeds an outcome to the automatic machine. */
  private steer(permit: Permit, failed: boolean, slow: boolean, now: number): void {
    const auto = this.auto;
    switch (permit) {
      case TRACKED: {
        if (auto.kind !== 'CLOSED') return;
        const calls = this.window.record(failed, slow, now);
        this.quietSuccess = this.computeQuietSuccess();
        // A plain success can only lower the rates, except when it brings the
        // window up to minimumCalls or ages out older successes (time window).
        if (failed || slow || this.evaluateOnSuccess || calls === this.options.minimumCalls) this.evaluateWindow(now);
        return;
      }
      case TRIAL: {
        if (auto.kind !== 'HALF_OPEN') return;
        const trialFailed = failed || (slow && this.options.slowCallRateThreshold !== null);
        const completed = auto.trialsSucceeded + 1;
        if (trialFailed) {
          this.trip(auto.consecutiveTrips + 1, 'trial_failed', now, failed ? 100 / completed : 0, slow ? 100 / completed : 0);
          return;
        }
        auto.trialsSucceeded = completed;
        if (completed >= this.options.halfOpenMaxCalls) this.changeAutomatic(CLOSED_STATE, 'trials_succeeded', now, 0, 0);
        return;
      }
      case UNTRACKED:
      case REJECT:
        return;
      default:
        assertNever(permit);
    }
  }

  private evaluateWindow(now: number): void {
    const calls = this.window.calls(now);
    if (calls < this.options.minimumCalls) return;
    const failureRate = (this.window.failures(now) / calls) * 100;
    const slowCallRate = (this.window.slowCalls(now) / calls) * 100;
    if (failureRate >= this.options.failureRateThreshold) {
      this.trip(1, 'failure_rate', now, failureRate, slowCallRate);
    } else if (this.options.slowCallRateThreshold !== null && slowCallRate >= this.options.slowCallRateThreshold) {
      this.trip(1, 'slow_call_rate', now, failureRate, slowCallRate);
    }
  }

  private trip(consecutiveTrips: number, cause: TTransitionCause, now: number, failureRate: number, slowCallRate: number): void {
    const until = now + this.openTimeoutFor(consecutiveTrips);
    this.changeAutomatic({ kind: 'OPEN', until, consecutiveTrips }, cause, now, failureRate, slowCallRate);
  }

  private openTimeoutFor(consecutiveTrips: number): number {
    const backoff = this.options.openTimeoutBackoff;
    if (backoff === null) return this.options.openTimeout;
    return Math.min(this.options.openTimeout * backoff.multiplier ** (consecutiveTrips - 1), backoff.maxMs);
  }

  private setOverride(state: Override['state'], options: OverrideOptions): void {
    const now = this.clock.now();
    this.refresh(now);
    const commandId = options.commandId ?? null;
    this.change(commandId ? 'command' : 'manual', now, commandId, () => {
      this.override = { state, expiresAt: options.expiresAt ?? null, commandId };
    });
  }

  private returnToClosed(cause: TTransitionCause, commandId: string | null, now: number): void {
    this.change(cause, now, commandId, () => {
      this.override = null;
      this.auto = CLOSED_STATE;
      this.generation += 1;
      this.window.reset();
    });
  }

  private changeAutomatic(next: AutomaticState, cause: TTransitionCause, now: number, failureRate: number, slowCallRate: number): void {
    this.change(
      cause,
      now,
      null,
      () => {
        this.auto = next;
        this.generation += 1;
        if (next.kind === 'CLOSED') this.window.reset();
      },
      failureRate,
      slowCallRate,
    );
  }

  /** Applies a change and announces it when the public state moved. */
  private change(cause: TTransitionCause, now: number, commandId: string | null, apply: () => void, failureRate?: number, slowCallRate?: number): void {
    const from = this.override?.state ?? this.auto.kind;
    const rates = failureRate === undefined ? snapshotWindow(this.window, now) : null;
    apply();
    this.fastPath = this.computeFastPath();
    this.quietSuccess = this.computeQuietSuccess();
    const to = this.override?.state ?? this.auto.kind;
    if (from === to || !this.events.has('stateChange')) return;
    const event: StateChangeEvent = {
      breaker: this.name,
      from,
      to,
      wouldBe: this.auto.kind,
      cause,
      at: Math.round(now),
      failureRate: rates?.failureRate ?? failureRate ?? 0,
      slowCallRate: rates?.slowCallRate ?? slowCallRate ?? 0,
      commandId,
    };
    this.events.emit('stateChange', event);
  }

  private computeQuietSuccess(): boolean {
    return this.auto.kind === 'CLOSED' && this.window.absorbsSuccess() && !this.events.has('success');
  }

  private computeFastPath(): boolean {
    return this.override === null && this.auto.kind === 'CLOSED' && this.options.timeout === null && this.options.fallback === null;
  }
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Creates a circuit breaker; the fallback's return type widens what `execute` resolves to. */
export function createCircuitBreaker<TFallback = never>(options: CircuitBreakerOptions<TFallback>): CircuitBreaker<TFallback> {
  return new CircuitBreaker(options);
}
