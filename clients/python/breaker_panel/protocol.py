"""Constants of the agent wire protocol (docs/protocol.md, lib/protocol/*.ts)."""

PROTOCOL_VERSION = 1
"""The protocol version every message carries."""

SDK_NAME = "breaker-panel-python"
"""This client's name, sent at registration."""

SDK_VERSION = "0.1.0"
"""This client's version, sent at registration (kept in step with pyproject.toml by a test)."""

CLOSED = "CLOSED"
OPEN = "OPEN"
HALF_OPEN = "HALF_OPEN"
FORCED_OPEN = "FORCED_OPEN"
FORCED_CLOSED = "FORCED_CLOSED"

BREAKER_STATES = (CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, FORCED_CLOSED)
"""The five public states; the FORCED_ ones are set by an operator (or the host)."""

AUTOMATIC_STATES = (CLOSED, OPEN, HALF_OPEN)
"""The states of the automatic machine: what a breaker "would be" without an override."""

TRANSITION_CAUSES = (
    "failure_rate",
    "slow_call_rate",
    "open_timeout_elapsed",
    "trials_succeeded",
    "trial_failed",
    "command",
    "manual",
    "override_expired",
)
"""Why a transition happened (ZTransitionCause)."""

COMMAND_ACTIONS = ("trip", "force_closed", "reset", "release")
"""Operator actions a command carries (ZCommandAction)."""

RETRYABLE_ERROR_CODES = frozenset({"not_registered", "unavailable", "internal"})
"""Error codes for which the same message may succeed later."""

MAX_REPORT_TRANSITIONS = 10_000
"""The most transitions one HTTP batch may carry (ZReportBatch)."""

MAX_REPORT_COMMAND_ACKS = 1_000
"""The most command acknowledgements one HTTP batch may carry (ZReportBatch)."""
