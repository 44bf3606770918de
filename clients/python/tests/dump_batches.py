"""Prints, as JSON, the batches a real reporter posts to a fake panel while its
breakers go through every state, trial, override and command outcome. The
TypeScript contract test (tests/unit/python/wire-contract.test.ts) parses each
with the protocol's zod schemas, which are normative."""

import json
import sys

import _support
from _support import FakeClock, FakePanel, command, wait_until

sys.path.insert(0, _support.STAND_INS)
import pybreaker  # noqa: E402 - the stand-in unless pybreaker is installed

from breaker_panel import BreakerOpenError, CircuitBreaker, connect_panel, count_window, time_window  # noqa: E402
from breaker_panel.adapters.pybreaker import instrument_pybreaker  # noqa: E402


class Boom(Exception):
    pass


def main() -> None:
    panel = FakePanel()
    clock = FakeClock()
    payments = CircuitBreaker("payments", clock=clock, window=count_window(4), minimum_calls=2, slow_call_threshold=100,
                              open_timeout=1_000, open_timeout_backoff={"multiplier": 2, "max_ms": 8_000}, half_open_max_calls=1,
                              timeout=2_000, fallback=lambda error, reason: None)
    search = CircuitBreaker("search", window=time_window(30))
    stock = instrument_pybreaker(pybreaker.CircuitBreaker(name="stock", fail_max=3, reset_timeout=30), slow_call_threshold=250)
    reporter = connect_panel(panel.url, panel.api_key, "shop", instance="py-contract", labels={"zone": "eu-1"},
                             breakers=[payments, search, stock], report_interval=50)
    wait_until(lambda: panel.batches)

    def slow_failure() -> None:
        clock.advance(150.25)
        raise Boom()

    for _ in range(2):
        payments.call(slow_failure)  # → OPEN on failure_rate, answered by the fallback
    payments.call(lambda: "rejected")
    clock.advance(1_000)
    payments.call(lambda: clock.advance(3))  # trial succeeds → CLOSED
    payments.force_closed(expires_at=clock.now() + 60_000)
    search.force_open()
    panel.batch_commands = [
        command("cmd-1", "payments", "trip", expires_at=4_102_444_800_000),
        command("cmd-2", "nope", "trip"),
        command("cmd-3", "stock", "force_closed", scope={"kind": "labels", "labels": {"zone": "eu-2"}}),
        command("cmd-4", "stock", "trip"),
    ]
    wait_until(lambda: len(panel.all("commandAcks")) >= 4)
    try:
        stock.call(lambda: "x")
    except pybreaker.CircuitBreakerError:
        pass
    panel.batch_commands = [command("cmd-1", "payments", "trip", expires_at=4_102_444_800_000)]
    wait_until(lambda: len(panel.all("commandAcks")) >= 5)
    try:
        search.call(lambda: None)
    except BreakerOpenError:
        pass
    reporter.flush(5_000)
    reporter.close(1_000)
    panel.stop()
    print(json.dumps(panel.batches))


if __name__ == "__main__":
    main()
