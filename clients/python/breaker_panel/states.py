"""The automatic state machine's states and the override that can hide them.

Transition table (public state; the automatic rows also run under an override,
which is how a breaker says what it "would be"):

| from      | event                                                 | to                                   |
|-----------|-------------------------------------------------------|--------------------------------------|
| CLOSED    | window ≥ minimum_calls and failure rate ≥ threshold   | OPEN                                 |
| CLOSED    | window ≥ minimum_calls and slow-call rate ≥ threshold | OPEN                                 |
| OPEN      | open timeout elapsed (seen by the next call or read)  | HALF_OPEN                            |
| HALF_OPEN | half_open_max_calls trials succeeded                  | CLOSED, fresh window, backoff reset  |
| HALF_OPEN | a trial failed, timed out or was slow                 | OPEN, next open timeout grows        |
| any       | force_open() / trip command                           | FORCED_OPEN                          |
| any       | force_closed() / force_closed command                 | FORCED_CLOSED                        |
| FORCED_*  | release() / release command / override expiry         | CLOSED, fresh window, backoff reset  |
| any       | reset() / reset command                               | CLOSED, fresh window, backoff reset, override cleared |
"""

from __future__ import annotations

from typing import Optional, Union

from .protocol import CLOSED, HALF_OPEN, OPEN


class Closed:
    """CLOSED carries no data: one shared instance."""

    __slots__ = ()
    kind = CLOSED


CLOSED_STATE = Closed()


class Open:
    __slots__ = ("until", "consecutive_trips")
    kind = OPEN

    def __init__(self, until: float, consecutive_trips: int) -> None:
        self.until = until
        self.consecutive_trips = consecutive_trips


class HalfOpen:
    """Trial counts are mutated in place: they change on every trial call."""

    __slots__ = ("trials_started", "trials_succeeded", "consecutive_trips")
    kind = HALF_OPEN

    def __init__(self, consecutive_trips: int) -> None:
        self.trials_started = 0
        self.trials_succeeded = 0
        self.consecutive_trips = consecutive_trips


AutomaticState = Union[Closed, Open, HalfOpen]


class Override:
    """An operator (or host) override in force."""

    __slots__ = ("state", "expires_at", "command_id")

    def __init__(self, state: str, expires_at: Optional[float], command_id: Optional[str]) -> None:
        self.state = state
        """FORCED_OPEN or FORCED_CLOSED."""
        self.expires_at = expires_at
        """Epoch ms; None = until released."""
        self.command_id = command_id
        """The command that set it; None when the host set it itself."""

    def to_wire(self) -> dict:
        return {"state": self.state, "expiresAt": self.expires_at, "commandId": self.command_id}
