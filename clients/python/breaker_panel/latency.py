"""Fixed latency bucket bounds shared with every reporter and the server
(lib/protocol/latency-buckets.ts), and the cumulative outcome counters."""

from __future__ import annotations

import math
import threading
from typing import Dict, List

LATENCY_BUCKET_BOUNDS_MS = tuple(2 ** (i / 4) for i in range(65))
"""Bound i is 2^(i/4) ms, from 1 ms to 65,536 ms: four buckets per doubling, so a
percentile taken at a bucket's geometric middle is within 9.05 % of the truth."""

LATENCY_BUCKET_COUNT = len(LATENCY_BUCKET_BOUNDS_MS) + 1
"""One count per bound plus the overflow bucket: 66."""

_LAST_BOUND_INDEX = len(LATENCY_BUCKET_BOUNDS_MS) - 1


def latency_bucket_index(latency_ms: float) -> int:
    """The bucket a latency falls into: bounds[i-1] < v <= bounds[i].

    The log gives the index without a search; the two comparisons after it
    correct floating-point error at the exact bounds, as the TypeScript does.
    """
    if not latency_ms > 1:  # also NaN and negatives from clock skew
        return 0
    index = math.ceil(math.log2(latency_ms) * 4)
    if index > _LAST_BOUND_INDEX:
        return _LAST_BOUND_INDEX + 1
    if latency_ms > LATENCY_BUCKET_BOUNDS_MS[index]:
        index += 1
    elif index > 0 and latency_ms <= LATENCY_BUCKET_BOUNDS_MS[index - 1]:
        index -= 1
    return index


class OutcomeRecorder:
    """Cumulative outcome counters and latency histogram since the breaker was
    created; never reset, so a lost or repeated report loses or double-counts
    nothing. Callers hold the breaker's lock."""

    __slots__ = ("success", "failure", "timeout", "rejected", "slow", "fallback", "_counts", "_sum_ms")

    def __init__(self) -> None:
        self.success = 0
        self.failure = 0
        self.timeout = 0
        self.rejected = 0
        self.slow = 0
        self.fallback = 0
        self._counts = [0] * LATENCY_BUCKET_COUNT
        self._sum_ms = 0.0

    def record_latency(self, duration_ms: float) -> None:
        """Records the latency of a call that was made (success, failure or timeout)."""
        self._counts[latency_bucket_index(duration_ms)] += 1
        if duration_ms > 0:
            self._sum_ms += duration_ms

    def counters(self) -> Dict[str, int]:
        """The counters in wire form."""
        return {
            "success": self.success,
            "failure": self.failure,
            "timeout": self.timeout,
            "rejected": self.rejected,
            "slow": self.slow,
            "fallback": self.fallback,
        }

    def histogram(self) -> Dict[str, object]:
        """The histogram in wire form, trailing zero buckets trimmed."""
        length = len(self._counts)
        while length > 0 and self._counts[length - 1] == 0:
            length -= 1
        counts: List[int] = self._counts[:length]
        return {"counts": counts, "sumMs": self._sum_ms}


class LockedRecorder(OutcomeRecorder):
    """An OutcomeRecorder with its own lock, for adapters whose events arrive on many threads."""

    __slots__ = ("lock",)

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
