"""The sliding windows a trip decision looks at (count-window.ts, time-window.ts)."""

from __future__ import annotations

import math
from typing import Dict, Union

_FAILED = 1
_SLOW = 2


class CountWindow:
    """The last ``size`` completed calls, in a ring of one small int per call
    (bit 0 failed, bit 1 slow); totals are kept incrementally so reads are O(1)."""

    def __init__(self, size: int) -> None:
        self._ring = [0] * size
        self._size = size
        self._next = 0
        self._filled = 0
        self._failures = 0
        self._slow = 0

    def record(self, failed: bool, slow: bool, now: float) -> None:
        if self._filled == self._size:
            evicted = self._ring[self._next]
            self._failures -= evicted & _FAILED
            self._slow -= (evicted & _SLOW) >> 1
        else:
            self._filled += 1
        self._ring[self._next] = (_FAILED if failed else 0) | (_SLOW if slow else 0)
        if failed:
            self._failures += 1
        if slow:
            self._slow += 1
        self._next = 0 if self._next + 1 == self._size else self._next + 1

    def calls(self, now: float) -> int:
        return self._filled

    def failures(self, now: float) -> int:
        return self._failures

    def slow_calls(self, now: float) -> int:
        return self._slow

    def reset(self) -> None:
        self._ring = [0] * self._size
        self._next = self._filled = self._failures = self._slow = 0


class TimeWindow:
    """The calls completed in the last ``seconds`` seconds, one bucket per
    second. A bucket is stamped with the second it holds; a stale stamp means
    it aged out. Totals are kept incrementally and aged at most once a second."""

    def __init__(self, seconds: int) -> None:
        self._seconds = seconds
        self.reset()

    def reset(self) -> None:
        n = self._seconds
        self._stamps = [-math.inf] * n
        self._calls_at = [0] * n
        self._failures_at = [0] * n
        self._slow_at = [0] * n
        self._calls = self._failures = self._slow = 0
        self._aged_at = -math.inf

    def _clear(self, index: int) -> None:
        self._calls -= self._calls_at[index]
        self._failures -= self._failures_at[index]
        self._slow -= self._slow_at[index]
        self._calls_at[index] = self._failures_at[index] = self._slow_at[index] = 0

    def _age(self, now: float) -> None:
        second = math.floor(now / 1000)
        if second == self._aged_at:
            return
        self._aged_at = second
        oldest = second - self._seconds + 1
        for index in range(self._seconds):
            if self._stamps[index] < oldest and self._calls_at[index] != 0:
                self._clear(index)

    def record(self, failed: bool, slow: bool, now: float) -> None:
        self._age(now)
        second = math.floor(now / 1000)
        index = second % self._seconds
        if self._stamps[index] != second:
            self._clear(index)
            self._stamps[index] = second
        self._calls_at[index] += 1
        self._calls += 1
        if failed:
            self._failures_at[index] += 1
            self._failures += 1
        if slow:
            self._slow_at[index] += 1
            self._slow += 1

    def calls(self, now: float) -> int:
        self._age(now)
        return self._calls

    def failures(self, now: float) -> int:
        self._age(now)
        return self._failures

    def slow_calls(self, now: float) -> int:
        self._age(now)
        return self._slow


SlidingWindow = Union[CountWindow, TimeWindow]


def create_window(config: Dict[str, object]) -> SlidingWindow:
    """The window a wire-form config asks for: ``{"type": "count", "size": n}`` or ``{"type": "time", "seconds": n}``."""
    if config["type"] == "count":
        return CountWindow(int(config["size"]))  # type: ignore[call-overload]
    if config["type"] == "time":
        return TimeWindow(int(config["seconds"]))  # type: ignore[call-overload]
    raise ValueError(f"Unknown window type: {config['type']!r}")


def snapshot_window(window: SlidingWindow, now: float) -> Dict[str, float]:
    """Calls and rates in percent (0 when the window is empty), in wire form."""
    calls = window.calls(now)
    if calls == 0:
        return {"calls": 0, "failureRate": 0, "slowCallRate": 0}
    return {
        "calls": calls,
        "failureRate": window.failures(now) / calls * 100,
        "slowCallRate": window.slow_calls(now) / calls * 100,
    }
