"""Applies operator commands to breakers, each command id at most once
(command-applier.ts): the server re-sends active overrides, and a replayed
``trip`` must not undo a later ``release``. A repeat is acknowledged again
with the outcome of its first receipt and ``duplicate: true``."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Dict, Mapping, Optional

from .protocol import COMMAND_ACTIONS, PROTOCOL_VERSION

Outcome = Dict[str, Any]
"""A command:ack without the sender identity the reporter adds."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_name(value: Any, longest: int = 200) -> bool:
    return isinstance(value, str) and 0 < len(value) <= longest


def _valid_scope(scope: Any) -> bool:
    if not isinstance(scope, dict):
        return False
    kind = scope.get("kind")
    if kind == "service":
        return True
    if kind == "instance":
        return _is_name(scope.get("instanceId"))
    if kind == "labels":
        labels = scope.get("labels")
        return isinstance(labels, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items())
    return False


def is_valid_command(raw: Any) -> bool:
    """What ZCommand checks: the command is validated at this edge too, even from our own panel."""
    return (
        isinstance(raw, dict)
        and raw.get("protocolVersion") == PROTOCOL_VERSION
        and _is_name(raw.get("id"), 100)
        and _is_name(raw.get("breaker"))
        and raw.get("action") in COMMAND_ACTIONS
        and (raw.get("expiresAt") is None or _is_number(raw.get("expiresAt")))
        and "expiresAt" in raw
        and _valid_scope(raw.get("scope"))
        and isinstance(raw.get("reason"), str)
        and isinstance(raw.get("issuedBy"), str)
        and _is_number(raw.get("issuedAt"))
    )


class CommandApplier:
    """Thread-safe: commands arrive from the long poll and from batch answers.
    The applier's own lock is held while a command is applied, and nothing
    holding a breaker's lock ever waits for it, so the two can not deadlock."""

    def __init__(self, instance_id: str, labels: Mapping[str, str], find_breaker: Callable[[str], Any],
                 now: Callable[[], float], history_size: int = 1_000) -> None:
        self._instance_id = instance_id
        self._labels = dict(labels)
        self._find_breaker = find_breaker
        self._now = now
        self._history_size = history_size
        self._history: "OrderedDict[str, Outcome]" = OrderedDict()
        self._lock = threading.Lock()

    def handle(self, raw: Any) -> Optional[Outcome]:
        """Handles one received command; returns the acknowledgement to send, or None when nothing identifies it."""
        with self._lock:
            return self._handle(raw)

    def _handle(self, raw: Any) -> Optional[Outcome]:
        if not is_valid_command(raw):
            # Without a valid id and breaker name the acknowledgement itself would be refused.
            if not isinstance(raw, dict) or not _is_name(raw.get("id"), 100) or not _is_name(raw.get("breaker")):
                return None
            return self._failed(raw, "invalid_command")
        seen = self._history.get(raw["id"])
        if seen is not None:
            return {**seen, "duplicate": True, "at": self._at()}
        if not self._in_scope(raw["scope"]):
            return self._remember(self._failed(raw, "out_of_scope"))
        breaker = self._find_breaker(raw["breaker"])
        if breaker is None:
            # Not remembered: the breaker may be added later and the command re-sent.
            return self._failed(raw, "unknown_breaker")
        overriding = raw["action"] in ("trip", "force_closed")
        if overriding and raw["expiresAt"] is not None and raw["expiresAt"] <= self._now():
            return self._remember(self._failed(raw, "expired", breaker))
        try:
            self._apply(raw, breaker)
        except Exception:  # noqa: BLE001 - reported to the panel as apply_failed
            return self._remember(self._failed(raw, "apply_failed", breaker))
        return self._remember({
            "commandId": raw["id"], "breaker": raw["breaker"], "status": "applied", "state": breaker.state,
            "reason": None, "duplicate": False, "at": self._at(),
        })

    def _in_scope(self, scope: Dict[str, Any]) -> bool:
        kind = scope["kind"]
        if kind == "service":
            return True
        if kind == "instance":
            return scope["instanceId"] == self._instance_id
        return all(self._labels.get(key) == value for key, value in scope["labels"].items())

    @staticmethod
    def _apply(command: Dict[str, Any], breaker: Any) -> None:
        action = command["action"]
        if action == "trip":
            breaker.force_open(expires_at=command["expiresAt"], command_id=command["id"])
        elif action == "force_closed":
            breaker.force_closed(expires_at=command["expiresAt"], command_id=command["id"])
        elif action == "reset":
            breaker.reset(command_id=command["id"])
        elif action == "release":
            breaker.release(command_id=command["id"])

    def _failed(self, command: Dict[str, Any], reason: str, breaker: Any = None) -> Outcome:
        return {
            "commandId": command["id"], "breaker": command["breaker"], "status": "failed",
            "state": breaker.state if breaker is not None else None, "reason": reason, "duplicate": False, "at": self._at(),
        }

    def _remember(self, outcome: Outcome) -> Outcome:
        self._history[outcome["commandId"]] = outcome
        while len(self._history) > self._history_size:
            self._history.popitem(last=False)
        return outcome

    def _at(self) -> int:
        return int(self._now())
