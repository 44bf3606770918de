"""The pybreaker adapter, against tests/stand_ins/pybreaker.py: a STAND-IN
with pybreaker's documented public API (pybreaker itself is not installed
here and PyPI is unreachable). When the real pybreaker is importable, these
tests run against it instead."""

import sys
import unittest

import _support
from _support import FakeClock

try:
    import pybreaker

    USING_STAND_IN = False
except ImportError:
    sys.path.insert(0, _support.STAND_INS)
    import pybreaker

    USING_STAND_IN = True

from breaker_panel.adapters.pybreaker import instrument_pybreaker


class Boom(Exception):
    pass


class Seconds:
    """The stand-in reads seconds; the adapter reads epoch ms: one fake clock for both."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def __call__(self) -> float:
        return self.clock.now() / 1000


def fail() -> None:
    raise Boom()


class PybreakerAdapterTest(unittest.TestCase):
    def setUp(self) -> None:
        self.clock = FakeClock()
        options = {"clock": Seconds(self.clock)} if USING_STAND_IN else {}
        self.cb = pybreaker.CircuitBreaker(fail_max=2, reset_timeout=10, name="inventory", exclude=[KeyError], **options)
        self.instrumented = instrument_pybreaker(self.cb, now=self.clock.now, slow_call_threshold=50)
        self.changes = []
        self.instrumented.on("state_change", self.changes.append)

    def fail_calls(self, count: int) -> None:
        for _ in range(count):
            try:
                self.instrumented.call(fail)
            except (Boom, pybreaker.CircuitBreakerError):
                pass

    def test_describes_pybreaker_settings_in_the_panels_terms(self) -> None:
        config = self.instrumented.describe()
        self.assertEqual((config["implementation"], config["window"], config["failureRateThreshold"], config["minimumCalls"], config["openTimeoutMs"]),
                         ("pybreaker", {"type": "count", "size": 2}, 100, 2, 10_000))

    def test_counts_outcomes_and_latency_from_listener_notifications(self) -> None:
        def slow() -> str:
            self.clock.advance(60)
            return "ok"

        self.assertEqual(self.cb.call(slow), "ok")  # called directly on pybreaker: still counted

        def missing() -> None:
            raise KeyError("sku")

        with self.assertRaises(KeyError):
            self.cb.call(missing)  # excluded by pybreaker: a success
        self.fail_calls(1)
        stats = self.instrumented.stats()
        self.assertEqual(stats["counters"], {"success": 2, "failure": 1, "timeout": 0, "rejected": 0, "slow": 1, "fallback": 0})
        self.assertEqual(sum(stats["latency"]["counts"]), 3)
        self.assertEqual(stats["window"], {"calls": 2, "failureRate": 50, "slowCallRate": 0})

    def test_reports_pybreakers_own_transitions_with_their_causes(self) -> None:
        self.fail_calls(2)
        self.assertEqual(self.instrumented.state, "OPEN")
        self.fail_calls(1)  # rejected by pybreaker itself, counted through the adapter's call()
        self.assertEqual(self.instrumented.stats()["counters"]["rejected"], 1)
        self.clock.advance(10_000)
        self.assertEqual(self.instrumented.call(lambda: "trial"), "trial")
        self.assertEqual([(c.from_state, c.to_state, c.cause) for c in self.changes],
                         [("CLOSED", "OPEN", "failure_rate"), ("OPEN", "HALF_OPEN", "open_timeout_elapsed"), ("HALF_OPEN", "CLOSED", "trials_succeeded")])

    def test_a_trip_rejects_every_call_while_pybreaker_keeps_its_own_state(self) -> None:
        self.instrumented.force_open(command_id="cmd-1")
        with self.assertRaises(pybreaker.CircuitBreakerError):
            self.cb.call(lambda: "never")
        self.assertEqual((self.instrumented.state, self.instrumented.would_be), ("FORCED_OPEN", "CLOSED"))
        self.assertEqual(self.instrumented.stats()["counters"]["rejected"], 1)
        self.assertEqual(self.instrumented.stats()["override"], {"state": "FORCED_OPEN", "expiresAt": None, "commandId": "cmd-1"})
        self.assertEqual((self.changes[-1].to_state, self.changes[-1].cause, self.changes[-1].command_id), ("FORCED_OPEN", "command", "cmd-1"))
        self.instrumented.release(command_id="cmd-2")
        self.assertEqual(self.cb.call(lambda: "again"), "again")
        self.assertEqual((self.changes[-1].from_state, self.changes[-1].to_state, self.changes[-1].cause), ("FORCED_OPEN", "CLOSED", "command"))

    def test_forced_closed_keeps_pybreaker_from_opening(self) -> None:
        self.fail_calls(2)
        self.instrumented.force_closed()
        self.assertEqual(self.cb.current_state, "closed")
        self.fail_calls(5)
        self.assertEqual(self.cb.current_state, "closed")
        self.assertEqual(self.instrumented.state, "FORCED_CLOSED")
        self.assertEqual(self.instrumented.stats()["counters"]["failure"], 7)
        self.assertEqual([c.to_state for c in self.changes], ["OPEN", "FORCED_CLOSED"])

    def test_an_override_expires_on_its_own(self) -> None:
        self.instrumented.force_open(expires_at=self.clock.now() + 1_000)
        self.clock.advance(1_000)
        self.assertEqual(self.cb.call(lambda: "passes"), "passes")
        self.assertEqual((self.changes[-1].to_state, self.changes[-1].cause), ("CLOSED", "override_expired"))

    def test_reports_through_the_reporter_and_applies_its_commands(self) -> None:
        from _support import FakePanel, command, wait_until

        from breaker_panel import connect_panel

        panel = FakePanel()
        self.addCleanup(panel.stop)
        panel.batch_commands = [command("cmd-7", "inventory", "trip")]
        reporter = connect_panel(panel.url, panel.api_key, "stock", long_poll=False, report_interval=100)
        self.addCleanup(reporter.close, 500)
        instrumented = instrument_pybreaker(pybreaker.CircuitBreaker(name="inventory"), reporter=reporter)
        ack = wait_until(lambda: panel.all("commandAcks"), what="the acknowledgement")[0]
        self.assertEqual((ack["status"], ack["state"]), ("applied", "FORCED_OPEN"))
        self.assertEqual(instrumented.state, "FORCED_OPEN")
        self.assertEqual(panel.shape_errors, [])
        instrumented.dispose()


if __name__ == "__main__":
    unittest.main()
