"""Exponential backoff with jitter (reconnect-backoff.ts)."""

from __future__ import annotations

import random
from typing import Callable


class Backoff:
    """Attempt n waits a random time in [delay/2, delay] with delay =
    min(initial × 2^n, max), so a fleet that lost the panel at once does not
    come back at once."""

    def __init__(self, initial_ms: float, max_ms: float, rng: Callable[[], float] = random.random) -> None:
        self._initial = initial_ms
        self._max = max_ms
        self._random = rng
        self._attempt = 0

    def next_delay_ms(self) -> float:
        delay = min(self._initial * 2 ** self._attempt, self._max)
        self._attempt = min(self._attempt + 1, 30)
        return delay / 2 + self._random() * delay / 2

    def reset(self) -> None:
        self._attempt = 0
