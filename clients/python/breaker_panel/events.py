"""A breaker's events and the hub that delivers them."""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple

_log = logging.getLogger("breaker_panel")

Disposer = Callable[[], None]
"""Call it to unsubscribe; calling it again does nothing."""


class StateChange:
    """A change of a breaker's public state (the wire fields of a transition, snake_case)."""

    __slots__ = ("breaker", "from_state", "to_state", "would_be", "cause", "at", "failure_rate", "slow_call_rate", "command_id")

    def __init__(self, breaker: str, from_state: str, to_state: str, would_be: str, cause: str, at: int,
                 failure_rate: float, slow_call_rate: float, command_id: Optional[str]) -> None:
        self.breaker = breaker
        self.from_state = from_state
        self.to_state = to_state
        self.would_be = would_be
        """The automatic state after the change (differs from ``to_state`` under an override)."""
        self.cause = cause
        self.at = at
        """Epoch ms."""
        self.failure_rate = failure_rate
        self.slow_call_rate = slow_call_rate
        self.command_id = command_id
        """The panel command behind it, if any."""

    def to_wire(self) -> Dict[str, Any]:
        """The transition's fields as ZTransition names them (without identity and sequence)."""
        return {
            "breaker": self.breaker, "from": self.from_state, "to": self.to_state, "wouldBe": self.would_be,
            "at": self.at, "cause": self.cause, "failureRate": self.failure_rate,
            "slowCallRate": self.slow_call_rate, "commandId": self.command_id,
        }

    def __repr__(self) -> str:
        return f"StateChange({self.breaker}: {self.from_state} → {self.to_state}, cause={self.cause}, would_be={self.would_be})"


EVENTS = ("state_change", "success", "failure", "timeout", "rejected", "fallback")
"""Event names: state_change (a StateChange), the others a dict describing the call."""


class EventHub:
    """Listener lists are replaced, never mutated, so a listener that
    unsubscribes during an emit does not disturb it. A listener that raises is
    logged: a buggy listener must not fail the call that triggered it."""

    def __init__(self, events: Tuple[str, ...] = EVENTS) -> None:
        self._events = events
        self._listeners: Dict[str, List[Callable[[Any], None]]] = {}
        self._lock = threading.Lock()

    def on(self, event: str, listener: Callable[[Any], None]) -> Disposer:
        if event not in self._events:
            raise ValueError(f"Unknown event {event!r}; one of {', '.join(self._events)}")
        with self._lock:
            self._listeners[event] = [*self._listeners.get(event, ()), listener]
        subscribed = [True]

        def dispose() -> None:
            with self._lock:
                if not subscribed[0]:
                    return
                subscribed[0] = False
                remaining = [candidate for candidate in self._listeners.get(event, ()) if candidate is not listener]
                if remaining:
                    self._listeners[event] = remaining
                else:
                    self._listeners.pop(event, None)

        return dispose

    def has(self, event: str) -> bool:
        return event in self._listeners

    def emit(self, event: str, payload: Any) -> None:
        for listener in self._listeners.get(event, ()):
            try:
                listener(payload)
            except Exception:  # noqa: BLE001 - a listener must never fail the host's call
                _log.warning("breaker event listener for %r raised", event, exc_info=True)
