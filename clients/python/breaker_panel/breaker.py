"""A circuit breaker (PRODUCT.md, "The circuit breaker itself"), the Python
twin of the Node SDK's circuit-breaker.ts. The transition table is in
states.py."""

from __future__ import annotations

import math
import threading
from typing import Any, Callable, Dict, Optional, Tuple

from .call_forms import Call, CallForms
from .clock import PRECISE_CLOCK, Clock
from .errors import BreakerOpenError, BreakerTimeoutError
from .events import Disposer, EventHub, StateChange
from .latency import OutcomeRecorder
from .options import describe_options, resolve_options
from .protocol import CLOSED, FORCED_CLOSED, FORCED_OPEN, HALF_OPEN, OPEN
from .states import CLOSED_STATE, AutomaticState, HalfOpen, Open, Override
from .windows import create_window, snapshot_window

# What admission decided for a call.
_REJECT = 0
_TRACKED = 1  # CLOSED: the outcome feeds the window
_TRIAL = 2  # HALF_OPEN trial: the outcome decides CLOSED or OPEN
_UNTRACKED = 3  # passed only because of FORCED_CLOSED: counted, but the automatic machine would not have made it


class CircuitBreaker(CallForms):
    """A circuit breaker. Durations are milliseconds and rates percent, as in
    the Node SDK and the protocol.

    Use it as ``with breaker:``, ``breaker.call(fn, *args)``, ``@breaker`` on a
    function, ``async with breaker:``, ``await breaker.call_async(coro_fn, *args)``
    or ``@breaker`` on a coroutine function. Thread-safe: one lock guards the
    state; listeners of ``state_change`` run under it and must be quick.
    """

    def __init__(
        self,
        name: str,
        *,
        window: Optional[Dict[str, Any]] = None,
        failure_rate_threshold: float = 50,
        slow_call_threshold: Optional[float] = None,
        slow_call_rate_threshold: Optional[float] = None,
        minimum_calls: Optional[int] = None,
        open_timeout: float = 30_000,
        open_timeout_backoff: Optional[Dict[str, float]] = None,
        half_open_max_calls: int = 1,
        timeout: Optional[float] = None,
        is_failure: Optional[Callable[[BaseException], bool]] = None,
        fallback: Optional[Callable[[BaseException, str], Any]] = None,
        clock: Optional[Clock] = None,
    ) -> None:
        """
        :param name: names the breaker on the panel; unique within a service.
        :param window: ``count_window(n)`` (the last n calls, default 100) or ``time_window(seconds)``.
        :param failure_rate_threshold: trip when failures and timeouts reach this % of the window. Default 50.
        :param slow_call_threshold: a call slower than this (ms) counts as slow. Default: not tracked.
        :param slow_call_rate_threshold: trip when slow calls reach this %. Default 100 once slow calls are tracked.
        :param minimum_calls: no trip decision on fewer calls. Default 10 (at most the count window's size).
        :param open_timeout: ms spent OPEN before trial calls are let through. Default 30 000.
        :param open_timeout_backoff: ``{"multiplier": 2, "max_ms": 300_000}`` grows the open timeout on repeated trips.
        :param half_open_max_calls: trial calls in HALF_OPEN; all must succeed to close. Default 1.
        :param timeout: per call, ms. ``call_async`` cancels the call; synchronous forms can not interrupt
            a running function, so they count a call that returns late as a timeout and raise BreakerTimeoutError.
        :param is_failure: which exceptions count as failures (a 404 usually should not); the others count as successes.
        :param fallback: ``fallback(error, reason)`` answers rejected ("rejected"), failed ("failure") and
            timed-out ("timeout") calls of ``call``/``call_async``/the decorators instead of raising.
        :param clock: ``now()`` in epoch ms; tests pass a fake.
        """
        self._options = resolve_options(
            name, window, failure_rate_threshold, slow_call_threshold, slow_call_rate_threshold, minimum_calls,
            open_timeout, open_timeout_backoff, half_open_max_calls, timeout, is_failure, fallback,
        )
        self.name = name
        """The breaker's name, unique within its service."""
        self._clock = clock or PRECISE_CLOCK
        self._window = create_window(self._options.window)
        self._outcomes = OutcomeRecorder()
        self._events = EventHub()
        self._lock = threading.RLock()
        self._auto: AutomaticState = CLOSED_STATE
        self._override: Optional[Override] = None
        # Bumped on every automatic transition: a call's outcome only steers the state it was admitted in.
        self._generation = 0
        # Only a time window can see its rates rise on a success (older successes age out).
        self._evaluate_on_success = self._options.window["type"] == "time"

    # -- reading ---------------------------------------------------------------

    @property
    def state(self) -> str:
        """The public state (an override hides the automatic one)."""
        with self._lock:
            self._refresh(self._clock.now())
            return self._public_state()

    @property
    def would_be(self) -> str:
        """The automatic machine's state: what the breaker would be without an override."""
        with self._lock:
            self._refresh(self._clock.now())
            return self._auto.kind

    def describe(self) -> Dict[str, Any]:
        """The configuration as reported to the panel (ZBreakerConfig)."""
        return describe_options(self._options)

    def stats(self) -> Dict[str, Any]:
        """State, cumulative counters, latency histogram and the current window, in wire form (ZBreakerReport)."""
        with self._lock:
            now = self._clock.now()
            self._refresh(now)
            return {
                "name": self.name,
                "state": self._public_state(),
                "wouldBe": self._auto.kind,
                "override": self._override.to_wire() if self._override else None,
                "counters": self._outcomes.counters(),
                "latency": self._outcomes.histogram(),
                "window": snapshot_window(self._window, now),
            }

    def on(self, event: str, listener: Callable[[Any], None]) -> Disposer:
        """Subscribes to ``state_change`` (a StateChange), ``success``, ``failure``,
        ``timeout``, ``rejected`` or ``fallback``; the returned function unsubscribes."""
        return self._events.on(event, listener)

    # -- overrides -------------------------------------------------------------

    def force_open(self, expires_at: Optional[float] = None, command_id: Optional[str] = None) -> None:
        """FORCED_OPEN: every call is rejected until release() or ``expires_at`` (epoch ms)."""
        self._set_override(FORCED_OPEN, expires_at, command_id)

    def force_closed(self, expires_at: Optional[float] = None, command_id: Optional[str] = None) -> None:
        """FORCED_CLOSED: every call passes, outcomes still recorded, until release() or ``expires_at``."""
        self._set_override(FORCED_CLOSED, expires_at, command_id)

    def release(self, command_id: Optional[str] = None) -> None:
        """Removes the override and resumes automatic behaviour from CLOSED; does nothing without one."""
        with self._lock:
            if self._override is None:
                return
            self._return_to_closed("command" if command_id else "manual", command_id, self._clock.now())

    def reset(self, command_id: Optional[str] = None) -> None:
        """Back to CLOSED with a fresh window and no backoff, clearing any override."""
        with self._lock:
            self._return_to_closed("command" if command_id else "manual", command_id, self._clock.now())

    # -- admission and outcomes (the call forms are in call_forms.py) -----------

    def _begin(self) -> Call:
        with self._lock:
            start = self._clock.now()
            permit = self._admit(start)
            if permit != _REJECT:
                return Call(permit, self._generation, start)
            self._outcomes.rejected += 1
            state = self._public_state()
        if self._events.has("rejected"):
            self._events.emit("rejected", {"breaker": self.name, "state": state})
        raise BreakerOpenError(self.name, state)

    def _fallback_used(self, error: BaseException, reason: str) -> None:
        with self._lock:
            self._outcomes.fallback += 1
        if self._events.has("fallback"):
            self._events.emit("fallback", {"breaker": self.name, "reason": reason, "error": error})

    def _admit(self, now: float) -> int:
        """Decides whether a call may run; may move OPEN → HALF_OPEN or end an expired override first."""
        self._refresh(now)
        override = self._override
        if override is not None and override.state == FORCED_OPEN:
            return _REJECT
        forced_closed = override is not None
        auto = self._auto
        if auto.kind == CLOSED:
            return _TRACKED
        if auto.kind == OPEN:
            return _UNTRACKED if forced_closed else _REJECT
        if auto.kind == HALF_OPEN:
            if auto.trials_started < self._options.half_open_max_calls:  # type: ignore[union-attr]
                auto.trials_started += 1  # type: ignore[union-attr]
                return _TRIAL
            return _UNTRACKED if forced_closed else _REJECT
        raise AssertionError(f"unexpected state {auto!r}")

    def _refresh(self, now: float) -> None:
        """Applies what the passage of time decides: override expiry and the end of the open timeout."""
        override = self._override
        if override is not None and override.expires_at is not None and now >= override.expires_at:
            self._return_to_closed("override_expired", None, now)
        auto = self._auto
        if isinstance(auto, Open) and now >= auto.until:
            rates = snapshot_window(self._window, now)
            self._change_automatic(HalfOpen(auto.consecutive_trips), "open_timeout_elapsed", now, rates["failureRate"], rates["slowCallRate"])

    def _complete_success(self, call: Call) -> Optional[BreakerTimeoutError]:
        """Records a call that returned; a late one (sync forms) is a timeout, returned for the caller to raise."""
        with self._lock:
            end = self._clock.now()
            duration = end - call.start
            timeout = self._options.timeout
            if timeout is not None and not call.timeout_enforced and duration > timeout:
                self._record_timeout(call, end, duration)
                late = BreakerTimeoutError(self.name, timeout)
            else:
                late = None
                slow = duration > self._options.slow_call_threshold
                self._outcomes.success += 1
                if slow:
                    self._outcomes.slow += 1
                self._outcomes.record_latency(duration)
                if call.generation == self._generation:
                    self._steer(call.permit, False, slow, end)
        if late is None and self._events.has("success"):
            self._events.emit("success", {"breaker": self.name, "duration_ms": duration, "slow": slow})
        return late

    def _complete_timeout(self, call: Call) -> None:
        with self._lock:
            end = self._clock.now()
            self._record_timeout(call, end, end - call.start)

    def _record_timeout(self, call: Call, end: float, duration: float) -> None:
        self._outcomes.record_latency(duration)
        self._outcomes.timeout += 1
        if call.generation == self._generation:
            self._steer(call.permit, True, False, end)
        if self._events.has("timeout"):
            self._events.emit("timeout", {"breaker": self.name, "duration_ms": duration})

    def _complete_error(self, call: Call, error: Exception) -> Optional[str]:
        """Records a call that raised; returns why a fallback may answer it, or None when the error is not a failure."""
        counted_as_failure = self._counts_as_failure(error)
        with self._lock:
            end = self._clock.now()
            duration = end - call.start
            timeout = self._options.timeout
            if isinstance(error, BreakerTimeoutError) and error.breaker == self.name:
                self._record_timeout(call, end, duration)
                return "timeout"
            if timeout is not None and not call.timeout_enforced and duration > timeout:
                self._record_timeout(call, end, duration)
                return "timeout"
            self._outcomes.record_latency(duration)
            slow = duration > self._options.slow_call_threshold
            if slow:
                self._outcomes.slow += 1
            steers = call.generation == self._generation
            if not counted_as_failure:
                # An error the host says is a normal answer (a 404): the dependency is healthy.
                self._outcomes.success += 1
                if steers:
                    self._steer(call.permit, False, slow, end)
                event, reason = "success", None
            else:
                self._outcomes.failure += 1
                if steers:
                    self._steer(call.permit, True, slow, end)
                event, reason = "failure", "failure"
        if self._events.has(event):
            payload: Dict[str, Any] = {"breaker": self.name, "duration_ms": duration, "slow": slow}
            if event == "failure":
                payload["error"] = error
            self._events.emit(event, payload)
        return reason

    def _abandon(self, call: Call) -> None:
        """The host cancelled the call (KeyboardInterrupt, task cancellation):
        no outcome, but a trial permit is handed back so HALF_OPEN is not stuck
        waiting for a trial that never ends."""
        with self._lock:
            auto = self._auto
            if call.permit == _TRIAL and call.generation == self._generation and isinstance(auto, HalfOpen):
                auto.trials_started -= 1

    def _counts_as_failure(self, error: BaseException) -> bool:
        if self._options.is_failure is None:
            return True
        try:
            return bool(self._options.is_failure(error))
        except Exception:  # noqa: BLE001 - a broken predicate must not hide failures
            return True

    def _steer(self, permit: int, failed: bool, slow: bool, now: float) -> None:
        """Feeds an outcome to the automatic machine."""
        auto = self._auto
        if permit == _TRACKED:
            if auto.kind != CLOSED:
                return
            self._window.record(failed, slow, now)
            # A plain success can only lower the rates, except when it brings the
            # window up to minimum_calls or ages out older successes (time window).
            if failed or slow or self._evaluate_on_success or self._window.calls(now) == self._options.minimum_calls:
                self._evaluate_window(now)
        elif permit == _TRIAL:
            if not isinstance(auto, HalfOpen):
                return
            trial_failed = failed or (slow and self._options.slow_call_rate_threshold is not None)
            completed = auto.trials_succeeded + 1
            if trial_failed:
                self._trip(auto.consecutive_trips + 1, "trial_failed", now, 100 / completed if failed else 0, 100 / completed if slow else 0)
                return
            auto.trials_succeeded = completed
            if completed >= self._options.half_open_max_calls:
                self._change_automatic(CLOSED_STATE, "trials_succeeded", now, 0, 0)

    def _evaluate_window(self, now: float) -> None:
        calls = self._window.calls(now)
        if calls < self._options.minimum_calls:
            return
        failure_rate = self._window.failures(now) / calls * 100
        slow_call_rate = self._window.slow_calls(now) / calls * 100
        if failure_rate >= self._options.failure_rate_threshold:
            self._trip(1, "failure_rate", now, failure_rate, slow_call_rate)
        elif self._options.slow_call_rate_threshold is not None and slow_call_rate >= self._options.slow_call_rate_threshold:
            self._trip(1, "slow_call_rate", now, failure_rate, slow_call_rate)

    def _trip(self, consecutive_trips: int, cause: str, now: float, failure_rate: float, slow_call_rate: float) -> None:
        until = now + self._open_timeout_for(consecutive_trips)
        self._change_automatic(Open(until, consecutive_trips), cause, now, failure_rate, slow_call_rate)

    def _open_timeout_for(self, consecutive_trips: int) -> float:
        backoff = self._options.open_timeout_backoff
        if backoff is None:
            return self._options.open_timeout
        return min(self._options.open_timeout * backoff["multiplier"] ** (consecutive_trips - 1), backoff["maxMs"])

    def _set_override(self, state: str, expires_at: Optional[float], command_id: Optional[str]) -> None:
        with self._lock:
            now = self._clock.now()
            self._refresh(now)

            def apply() -> None:
                self._override = Override(state, expires_at, command_id)

            self._change("command" if command_id else "manual", now, command_id, apply)

    def _return_to_closed(self, cause: str, command_id: Optional[str], now: float) -> None:
        def apply() -> None:
            self._override = None
            self._auto = CLOSED_STATE
            self._generation += 1
            self._window.reset()

        self._change(cause, now, command_id, apply)

    def _change_automatic(self, next_state: AutomaticState, cause: str, now: float, failure_rate: float, slow_call_rate: float) -> None:
        def apply() -> None:
            self._auto = next_state
            self._generation += 1
            if next_state.kind == CLOSED:
                self._window.reset()

        self._change(cause, now, None, apply, (failure_rate, slow_call_rate))

    def _change(self, cause: str, now: float, command_id: Optional[str], apply: Callable[[], None],
                rates: Optional[Tuple[float, float]] = None) -> None:
        """The one place where state changes; announces it when the public state moved."""
        previous = self._public_state()
        if rates is None:
            window = snapshot_window(self._window, now)
            rates = (window["failureRate"], window["slowCallRate"])
        apply()
        current = self._public_state()
        if previous == current or not self._events.has("state_change"):
            return
        at = int(math.floor(now + 0.5))
        self._events.emit("state_change", StateChange(self.name, previous, current, self._auto.kind, cause, at, rates[0], rates[1], command_id))

    def _public_state(self) -> str:
        return self._override.state if self._override is not None else self._auto.kind

    def __repr__(self) -> str:
        return f"CircuitBreaker({self.name!r}, state={self.state})"
