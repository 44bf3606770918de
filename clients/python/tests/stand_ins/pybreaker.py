"""STAND-IN FOR TESTS ONLY — not pybreaker.

pybreaker is not installed here and PyPI is unreachable, so the adapter's
tests import this module as ``pybreaker``. It implements pybreaker's
documented public API and the order in which pybreaker calls its listeners:
the state's own gate, then every listener's ``before_call``, then the call;
on an error that is not excluded: the counter, the ``failure`` listeners,
then the trip decision; on success: the counter reset, the state's reaction
(half-open closes), then the ``success`` listeners; every state change
notifies ``state_change(cb, old_state, new_state)`` with state objects that
have a ``name``. The whole call runs under the breaker's re-entrant lock.
Time comes from ``clock`` (seconds), so tests need not sleep.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterable, List, Optional

STATE_OPEN = "open"
STATE_CLOSED = "closed"
STATE_HALF_OPEN = "half-open"


class CircuitBreakerError(Exception):
    """Raised instead of calling when the circuit is open."""


class CircuitBreakerListener:
    """Listeners override what they need."""

    def before_call(self, cb: "CircuitBreaker", func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        pass

    def state_change(self, cb: "CircuitBreaker", old_state: Any, new_state: Any) -> None:
        pass

    def failure(self, cb: "CircuitBreaker", exc: BaseException) -> None:
        pass

    def success(self, cb: "CircuitBreaker") -> None:
        pass


class _State:
    def __init__(self, name: str) -> None:
        self.name = name


class CircuitBreaker:
    def __init__(self, fail_max: int = 5, reset_timeout: float = 60, exclude: Iterable[type] = (),
                 listeners: Iterable[CircuitBreakerListener] = (), name: Optional[str] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.RLock()
        self._fail_max = fail_max
        self._reset_timeout = reset_timeout
        self._exclude = tuple(exclude)
        self._listeners: List[CircuitBreakerListener] = list(listeners)
        self._name = name
        self._clock = clock
        self._state = _State(STATE_CLOSED)
        self._counter = 0
        self._opened_at: Optional[float] = None

    name = property(lambda self: self._name)
    fail_max = property(lambda self: self._fail_max)
    reset_timeout = property(lambda self: self._reset_timeout)
    fail_counter = property(lambda self: self._counter)
    current_state = property(lambda self: self._state.name)
    listeners = property(lambda self: tuple(self._listeners))

    def add_listener(self, listener: CircuitBreakerListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: CircuitBreakerListener) -> None:
        with self._lock:
            self._listeners.remove(listener)

    def _set_state(self, name: str) -> None:
        with self._lock:
            old, new = self._state, _State(name)
            if name == STATE_CLOSED:
                self._counter = 0
            for listener in self.listeners:
                listener.state_change(self, old, new)
            self._state = new  # assigned after notifying, as pybreaker's state setter does

    def open(self) -> bool:
        with self._lock:
            self._opened_at = self._clock()
            self._set_state(STATE_OPEN)
            return True

    def half_open(self) -> None:
        self._set_state(STATE_HALF_OPEN)

    def close(self) -> None:
        self._set_state(STATE_CLOSED)

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            if self._state.name == STATE_OPEN:
                if self._opened_at is not None and self._clock() < self._opened_at + self._reset_timeout:
                    raise CircuitBreakerError("Timeout not elapsed yet, circuit breaker still open")
                self.half_open()
            state = self._state.name
            for listener in self.listeners:
                listener.before_call(self, func, *args, **kwargs)
            try:
                result = func(*args, **kwargs)
            except BaseException as error:
                if isinstance(error, self._exclude):
                    self._on_success(state)
                    raise
                self._counter += 1
                for listener in self.listeners:
                    listener.failure(self, error)
                if state == STATE_HALF_OPEN or self._counter >= self._fail_max:
                    self.open()
                    raise CircuitBreakerError("Failures threshold reached, circuit breaker opened") from error
                raise
            self._on_success(state)
            return result

    def _on_success(self, state: str) -> None:
        self._counter = 0
        if state == STATE_HALF_OPEN:
            self.close()
        for listener in self.listeners:
            listener.success(self)

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return self.call(func, *args, **kwargs)

        return wrapper
