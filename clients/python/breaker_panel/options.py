"""A breaker's options, defaults and checks, mirroring the Node SDK's
options.ts (snake_case; durations in milliseconds, rates in percent)."""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, Mapping, Optional


def count_window(size: int) -> Dict[str, Any]:
    """The last ``size`` completed calls."""
    return {"type": "count", "size": size}


def time_window(seconds: int) -> Dict[str, Any]:
    """The calls completed in the last ``seconds`` seconds."""
    return {"type": "time", "seconds": seconds}


class ResolvedOptions:
    """Options with defaults applied and checked."""

    __slots__ = (
        "name", "window", "failure_rate_threshold", "slow_call_threshold", "slow_call_rate_threshold",
        "minimum_calls", "open_timeout", "open_timeout_backoff", "half_open_max_calls", "timeout",
        "is_failure", "fallback",
    )

    def __init__(self, **values: Any) -> None:
        for key, value in values.items():
            setattr(self, key, value)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(f"CircuitBreaker: {message}")


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def resolve_options(
    name: str,
    window: Optional[Mapping[str, Any]] = None,
    failure_rate_threshold: float = 50,
    slow_call_threshold: Optional[float] = None,
    slow_call_rate_threshold: Optional[float] = None,
    minimum_calls: Optional[int] = None,
    open_timeout: float = 30_000,
    open_timeout_backoff: Optional[Mapping[str, float]] = None,
    half_open_max_calls: int = 1,
    timeout: Optional[float] = None,
    is_failure: Optional[Callable[[BaseException], bool]] = None,
    fallback: Optional[Callable[[BaseException, str], Any]] = None,
) -> ResolvedOptions:
    """Applies the Node SDK's defaults and rejects impossible settings at
    construction, not at the first trip."""
    window = dict(window) if window is not None else count_window(100)
    _check(window.get("type") in ("count", "time"), 'window must be {"type": "count", "size": n} or {"type": "time", "seconds": n}')
    capacity = window.get("size") if window["type"] == "count" else math.inf
    _check(_positive_int(window.get("size" if window["type"] == "count" else "seconds")), "window size must be a positive integer")
    backoff = None
    if open_timeout_backoff is not None:
        backoff = {"multiplier": open_timeout_backoff.get("multiplier", 2), "maxMs": open_timeout_backoff.get("max_ms", open_timeout_backoff.get("maxMs"))}
    resolved = ResolvedOptions(
        name=name,
        window=window,
        failure_rate_threshold=failure_rate_threshold,
        # Infinity when slow calls are not tracked, so `duration > threshold` is simply false.
        slow_call_threshold=math.inf if slow_call_threshold is None else slow_call_threshold,
        slow_call_rate_threshold=None if slow_call_threshold is None else (100 if slow_call_rate_threshold is None else slow_call_rate_threshold),
        minimum_calls=min(10, capacity) if minimum_calls is None else minimum_calls,
        open_timeout=open_timeout,
        open_timeout_backoff=backoff,
        half_open_max_calls=half_open_max_calls,
        timeout=timeout,
        is_failure=is_failure,
        fallback=fallback,
    )
    _check(isinstance(name, str) and 0 < len(name) <= 200, "name must be 1–200 characters")
    _check(0 < resolved.failure_rate_threshold <= 100, "failure_rate_threshold must be in (0, 100]")
    _check(resolved.slow_call_threshold >= 0, "slow_call_threshold must be ≥ 0")
    _check(resolved.slow_call_rate_threshold is None or 0 < resolved.slow_call_rate_threshold <= 100, "slow_call_rate_threshold must be in (0, 100]")
    _check(_positive_int(resolved.minimum_calls), "minimum_calls must be a positive integer")
    _check(resolved.minimum_calls <= capacity, "minimum_calls can not exceed the count window size (the breaker could never trip)")
    _check(resolved.open_timeout >= 0, "open_timeout must be ≥ 0")
    _check(
        backoff is None or (backoff["maxMs"] is not None and backoff["multiplier"] >= 1 and backoff["maxMs"] >= open_timeout),
        "open_timeout_backoff needs multiplier ≥ 1 and max_ms ≥ open_timeout",
    )
    _check(_positive_int(resolved.half_open_max_calls), "half_open_max_calls must be a positive integer")
    _check(resolved.timeout is None or resolved.timeout > 0, "timeout must be > 0")
    return resolved


def describe_options(options: ResolvedOptions, implementation: str = "breaker-panel") -> Dict[str, Any]:
    """The configuration as the panel shows it (ZBreakerConfig, wire form)."""
    return {
        "implementation": implementation,
        "window": dict(options.window),
        "failureRateThreshold": options.failure_rate_threshold,
        "slowCallThresholdMs": None if math.isinf(options.slow_call_threshold) else options.slow_call_threshold,
        "slowCallRateThreshold": options.slow_call_rate_threshold,
        "minimumCalls": options.minimum_calls,
        "openTimeoutMs": options.open_timeout,
        "openTimeoutBackoff": dict(options.open_timeout_backoff) if options.open_timeout_backoff else None,
        "halfOpenMaxCalls": options.half_open_max_calls,
        "callTimeoutMs": options.timeout,
        "hasFallback": options.fallback is not None,
    }
