"""Breaker Panel's Python client: a circuit breaker with the same states,
windows, thresholds and overrides as the Node SDK, and a reporter that
connects it to the panel over HTTP batches (docs/protocol.md)."""

from .breaker import CircuitBreaker
from .clock import PRECISE_CLOCK, Clock, MonotonicClock
from .errors import BreakerOpenError, BreakerTimeoutError
from .events import StateChange
from .http_link import PanelError
from .latency import LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT, latency_bucket_index
from .options import count_window, time_window
from .protocol import (
    CLOSED,
    FORCED_CLOSED,
    FORCED_OPEN,
    HALF_OPEN,
    OPEN,
    PROTOCOL_VERSION,
    SDK_VERSION,
)
from .reporter import PanelReporter, connect_panel

__version__ = SDK_VERSION

__all__ = [
    "CircuitBreaker",
    "BreakerOpenError",
    "BreakerTimeoutError",
    "StateChange",
    "PanelReporter",
    "PanelError",
    "connect_panel",
    "count_window",
    "time_window",
    "Clock",
    "MonotonicClock",
    "PRECISE_CLOCK",
    "LATENCY_BUCKET_BOUNDS_MS",
    "LATENCY_BUCKET_COUNT",
    "latency_bucket_index",
    "CLOSED",
    "OPEN",
    "HALF_OPEN",
    "FORCED_OPEN",
    "FORCED_CLOSED",
    "PROTOCOL_VERSION",
]
