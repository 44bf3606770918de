"""Where a breaker reads the time: epoch milliseconds, fractions allowed."""

from __future__ import annotations

import time

try:  # Python 3.8+: typing.Protocol
    from typing import Protocol
except ImportError:  # pragma: no cover
    Protocol = object  # type: ignore[assignment,misc]


class Clock(Protocol):
    """Anything with ``now()`` returning epoch milliseconds; tests pass a fake."""

    def now(self) -> float:  # pragma: no cover - a protocol
        ...


class MonotonicClock:
    """The monotonic clock shifted to the epoch once: latencies never go
    negative when the wall clock is adjusted, yet readings are epoch ms (the
    same as the Node SDK's ``preciseClock``)."""

    def __init__(self) -> None:
        self._origin_ms = time.time() * 1000 - time.monotonic() * 1000

    def now(self) -> float:
        return self._origin_ms + time.monotonic() * 1000


PRECISE_CLOCK = MonotonicClock()
"""The default clock."""
