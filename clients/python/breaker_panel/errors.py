"""The errors a breaker raises into its caller."""

from __future__ import annotations


class BreakerOpenError(Exception):
    """Raised when a breaker short-circuits a call instead of making it."""

    code = "EBREAKEROPEN"
    """Stable machine-readable code."""

    def __init__(self, breaker: str, state: str) -> None:
        super().__init__(f'Breaker "{breaker}" is {state}: call rejected')
        self.breaker = breaker
        """The breaker that rejected the call."""
        self.state = state
        """OPEN, HALF_OPEN with no trial slot left, or FORCED_OPEN."""


class BreakerTimeoutError(Exception):
    """Raised when a call exceeds the breaker's ``timeout``."""

    code = "EBREAKERTIMEOUT"
    """Stable machine-readable code."""

    def __init__(self, breaker: str, timeout_ms: float) -> None:
        super().__init__(f'Breaker "{breaker}" timed out the call after {timeout_ms:g} ms')
        self.breaker = breaker
        """The breaker whose timeout elapsed."""
        self.timeout_ms = timeout_ms
        """The timeout that elapsed (ms)."""
