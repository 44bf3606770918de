"""Reports an existing pybreaker ``CircuitBreaker`` to the panel and lets
operators steer it, through pybreaker's public API only (listeners,
``open()``/``close()``, ``current_state``, ``fail_counter``, ``fail_max``,
``reset_timeout``). Import it only where pybreaker is installed.

How the panel's actions map onto pybreaker, whose listeners are told of every
call it makes (``before_call`` runs after pybreaker's own gate and before the
call, so raising there rejects the call without counting a failure):

- trip → FORCED_OPEN: our ``before_call`` raises ``pybreaker.CircuitBreakerError``
  for every call; pybreaker's own state keeps running underneath (``would_be``).
- force_closed → FORCED_CLOSED: ``close()``, and ``close()`` again inside every
  ``failure`` notification (pybreaker notifies before it decides to trip, and
  ``close()`` resets its failure counter), so it never opens. pybreaker's own
  state therefore stays CLOSED: ``would_be`` is CLOSED under this override.
- reset / release → ``close()`` and the override removed.

pybreaker tells no listener about calls it rejects itself while open; they
are counted as ``rejected`` when the service calls through this adapter
(``instrumented.call(fn)`` or ``@instrumented``), and not otherwise.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from typing import Any, Callable, Dict, List, Optional

import pybreaker

from ..events import Disposer, EventHub, StateChange
from ..latency import LockedRecorder
from ..protocol import CLOSED, FORCED_CLOSED, FORCED_OPEN, HALF_OPEN, OPEN
from ..states import Override

_AUTOMATIC = {"closed": CLOSED, "open": OPEN, "half-open": HALF_OPEN}


def _automatic(state: Any) -> str:
    """pybreaker passes state objects (with ``name``) to listeners and strings from ``current_state``."""
    return _AUTOMATIC.get(getattr(state, "name", state), CLOSED)


class InstrumentedPybreaker(pybreaker.CircuitBreakerListener):
    """A pybreaker breaker as the reporter sees it (name, state, describe,
    stats, on, force_open, force_closed, release, reset); ``dispose()`` stops
    listening. Also a pybreaker listener, added to the breaker it instruments."""

    def __init__(self, breaker: Any, name: Optional[str] = None, slow_call_threshold: Optional[float] = None,
                 now: Callable[[], float] = lambda: time.time() * 1000) -> None:
        self._breaker = breaker
        self.name = name or breaker.name
        if not self.name:
            raise ValueError("instrument_pybreaker: the breaker has no name; pass name=")
        self._now = now
        self._slow_call_threshold = math.inf if slow_call_threshold is None else slow_call_threshold
        self._outcomes = LockedRecorder()
        self._events = EventHub(("state_change",))
        self._lock = threading.RLock()
        self._override: Optional[Override] = None
        self._last_automatic = _automatic(breaker.current_state)
        # Per thread: whether the state change under way is our own doing, and the
        # start times of the calls pybreaker is making (it runs them in the caller's thread).
        self._local = threading.local()
        breaker.add_listener(self)

    # -- what the reporter reads -----------------------------------------------

    @property
    def state(self) -> str:
        self._expire_override()
        with self._lock:
            return self._public_state()

    @property
    def would_be(self) -> str:
        return _automatic(self._breaker.current_state)

    def describe(self) -> Dict[str, Any]:
        """pybreaker trips on ``fail_max`` consecutive failures: a count window of
        that size with a 100 % threshold says the same."""
        fail_max = int(self._breaker.fail_max)
        return {
            "implementation": "pybreaker",
            "window": {"type": "count", "size": max(1, fail_max)},
            "failureRateThreshold": 100,
            "slowCallThresholdMs": None if math.isinf(self._slow_call_threshold) else self._slow_call_threshold,
            "slowCallRateThreshold": None,
            "minimumCalls": max(1, fail_max),
            "openTimeoutMs": float(self._breaker.reset_timeout) * 1000,
            "openTimeoutBackoff": None,
            "halfOpenMaxCalls": 1,
            "callTimeoutMs": None,
            "hasFallback": False,
        }

    def stats(self) -> Dict[str, Any]:
        self._expire_override()
        with self._lock:
            state = self._public_state()
            override = self._override.to_wire() if self._override else None
        with self._outcomes.lock:
            counters = self._outcomes.counters()
            latency = self._outcomes.histogram()
        return {
            "name": self.name,
            "state": state,
            "wouldBe": self.would_be,
            "override": override,
            "counters": counters,
            "latency": latency,
            "window": self._window(),
        }

    def on(self, event: str, listener: Callable[[StateChange], None]) -> Disposer:
        return self._events.on(event, listener)

    # -- steering --------------------------------------------------------------
    # Our lock is never held while calling into pybreaker: pybreaker holds its
    # own lock through every call, and calls our listeners under it.

    def force_open(self, expires_at: Optional[float] = None, command_id: Optional[str] = None) -> None:
        self._change("command" if command_id else "manual", command_id, Override(FORCED_OPEN, expires_at, command_id), None)

    def force_closed(self, expires_at: Optional[float] = None, command_id: Optional[str] = None) -> None:
        self._change("command" if command_id else "manual", command_id, Override(FORCED_CLOSED, expires_at, command_id), self._breaker.close)

    def release(self, command_id: Optional[str] = None) -> None:
        if self._override is not None:
            self._change("command" if command_id else "manual", command_id, None, self._breaker.close)

    def reset(self, command_id: Optional[str] = None) -> None:
        self._change("command" if command_id else "manual", command_id, None, self._breaker.close)

    # -- calling through the adapter --------------------------------------------

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``breaker.call(fn, ...)`` that also counts the calls pybreaker rejects itself."""
        before = getattr(self._local, "before_calls", 0)
        try:
            return self._breaker.call(fn, *args, **kwargs)
        except pybreaker.CircuitBreakerError:
            if getattr(self._local, "before_calls", 0) == before:
                with self._outcomes.lock:
                    self._outcomes.rejected += 1
            raise

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def protected(*args: Any, **kwargs: Any) -> Any:
            return self.call(fn, *args, **kwargs)

        return protected

    def dispose(self) -> None:
        """Stops listening to the pybreaker breaker."""
        try:
            self._breaker.remove_listener(self)
        except ValueError:
            pass

    # -- pybreaker's listener interface ----------------------------------------

    def before_call(self, cb: Any, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._local.before_calls = getattr(self._local, "before_calls", 0) + 1
        self._expire_override()
        with self._lock:
            forced_open = self._override is not None and self._override.state == FORCED_OPEN
        if forced_open:
            with self._outcomes.lock:
                self._outcomes.rejected += 1
            raise pybreaker.CircuitBreakerError(f'Breaker "{self.name}" is FORCED_OPEN: call rejected')
        self._starts().append(self._now())

    def success(self, cb: Any) -> None:
        duration = self._call_ended()
        with self._outcomes.lock:
            self._outcomes.success += 1
            self._record(duration)

    def failure(self, cb: Any, exc: BaseException) -> None:
        duration = self._call_ended()
        with self._outcomes.lock:
            self._outcomes.failure += 1
            self._record(duration)
        with self._lock:
            forced_closed = self._override is not None and self._override.state == FORCED_CLOSED
        if forced_closed:
            # pybreaker decides to trip right after this notification; close() resets its failure count first.
            self._steer(self._breaker.close)

    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        if getattr(self._local, "steering", False):
            return
        to = _automatic(new_state)
        with self._lock:
            previous, self._last_automatic = self._last_automatic, to
            hidden = self._override is not None
        if hidden or previous == to:
            return  # hidden by the override, or no change
        if to == OPEN:
            cause = "trial_failed" if previous == HALF_OPEN else "failure_rate"
        elif to == HALF_OPEN:
            cause = "open_timeout_elapsed"
        else:
            cause = "trials_succeeded"
        window = self._window()
        self._events.emit("state_change", StateChange(self.name, previous, to, to, cause, int(self._now()),
                                                      window["failureRate"], 0, None))

    # -- internals -------------------------------------------------------------

    def _starts(self) -> List[float]:
        starts = getattr(self._local, "starts", None)
        if starts is None:
            starts = self._local.starts = []
        return starts

    def _call_ended(self) -> float:
        starts = self._starts()
        return self._now() - starts.pop() if starts else 0.0

    def _record(self, duration: float) -> None:
        self._outcomes.record_latency(duration)
        if duration > self._slow_call_threshold:
            self._outcomes.slow += 1

    def _window(self) -> Dict[str, float]:
        fail_max = max(1, int(self._breaker.fail_max))
        with self._outcomes.lock:
            made = self._outcomes.success + self._outcomes.failure
        failures = min(int(self._breaker.fail_counter), fail_max)
        return {"calls": min(made, fail_max), "failureRate": failures / fail_max * 100, "slowCallRate": 0}

    def _public_state(self) -> str:
        return self._override.state if self._override is not None else _automatic(self._breaker.current_state)

    def _expire_override(self) -> None:
        override = self._override
        if override is not None and override.expires_at is not None and self._now() >= override.expires_at:
            self._change("override_expired", None, None, self._breaker.close, expected=override)

    def _steer(self, action: Callable[[], Any]) -> None:
        """Runs our own open()/close(): pybreaker notifies us, and that is no automatic transition."""
        self._local.steering = True
        try:
            action()
        finally:
            self._local.steering = False

    def _change(self, cause: str, command_id: Optional[str], override: Optional[Override],
                action: Optional[Callable[[], Any]], expected: Any = False) -> None:
        """Sets the override, then steers pybreaker outside our lock, and announces a change of the public state.
        With ``expected``, only when the override in force is still that one (two threads may see it expire)."""
        with self._lock:
            if expected is not False and self._override is not expected:
                return
            previous = self._public_state()
            self._override = override
        if action is not None:
            self._steer(action)
        automatic = _automatic(self._breaker.current_state)
        with self._lock:
            self._last_automatic = automatic
            current = self._public_state()
        if previous == current:
            return
        window = self._window()
        self._events.emit("state_change", StateChange(self.name, previous, current, automatic, cause,
                                                      int(self._now()), window["failureRate"], 0, command_id))


def instrument_pybreaker(breaker: Any, *, name: Optional[str] = None, reporter: Any = None,
                         slow_call_threshold: Optional[float] = None,
                         now: Callable[[], float] = lambda: time.time() * 1000) -> InstrumentedPybreaker:
    """Reports ``breaker`` (a ``pybreaker.CircuitBreaker``) to the panel and lets
    operators steer it, without changing how the service calls it.

    :param name: default: the pybreaker breaker's own ``name``.
    :param reporter: a PanelReporter to report through (the breaker is added to it).
    :param slow_call_threshold: calls slower than this (ms) count as slow; pybreaker has no such notion.
    :param now: epoch ms, for latencies and override expiry.
    """
    instrumented = InstrumentedPybreaker(breaker, name, slow_call_threshold, now)
    if reporter is not None:
        remove = reporter.add(instrumented)
        dispose = instrumented.dispose

        def dispose_and_remove() -> None:
            dispose()
            remove()

        instrumented.dispose = dispose_and_remove  # type: ignore[method-assign]
    return instrumented
