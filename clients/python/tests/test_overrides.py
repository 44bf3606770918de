"""Operator (and host) overrides, and what the breaker "would be" under them."""

import unittest

import _support  # noqa: F401 - puts the client on sys.path
from _support import FakeClock

from breaker_panel import BreakerOpenError, CircuitBreaker, count_window


class Boom(Exception):
    pass


def fail() -> None:
    raise Boom()


class OverridesTest(unittest.TestCase):
    def setUp(self) -> None:
        self.clock = FakeClock()
        self.changes = []
        self.breaker = CircuitBreaker("payments", clock=self.clock, minimum_calls=2, window=count_window(2), open_timeout=1_000)
        self.breaker.on("state_change", self.changes.append)

    def fail_twice(self) -> None:
        for _ in range(2):
            try:
                self.breaker.call(fail)
            except (Boom, BreakerOpenError):
                pass

    def test_forced_open_rejects_every_call_and_names_the_command(self) -> None:
        self.breaker.force_open(command_id="cmd-1")
        with self.assertRaises(BreakerOpenError) as rejected:
            self.breaker.call(lambda: "never")
        self.assertEqual(rejected.exception.state, "FORCED_OPEN")
        change = self.changes[-1]
        self.assertEqual((change.from_state, change.to_state, change.would_be, change.cause, change.command_id),
                         ("CLOSED", "FORCED_OPEN", "CLOSED", "command", "cmd-1"))
        self.assertEqual(self.breaker.stats()["override"], {"state": "FORCED_OPEN", "expiresAt": None, "commandId": "cmd-1"})

    def test_forced_closed_lets_calls_through_while_the_automatic_machine_keeps_count(self) -> None:
        self.breaker.force_closed()
        self.fail_twice()
        self.assertEqual((self.breaker.state, self.breaker.would_be), ("FORCED_CLOSED", "OPEN"))
        self.assertEqual(self.breaker.call(lambda: "passes"), "passes")  # OPEN underneath, yet it passes
        self.clock.advance(1_000)
        self.assertEqual(self.breaker.would_be, "HALF_OPEN")
        self.assertEqual(self.breaker.stats()["counters"]["failure"], 2)
        self.assertEqual([change.to_state for change in self.changes], ["FORCED_CLOSED"])  # hidden changes are not announced

    def test_release_resumes_from_closed_with_a_fresh_window(self) -> None:
        self.breaker.force_closed()
        self.fail_twice()
        self.breaker.release(command_id="cmd-2")
        self.assertEqual((self.breaker.state, self.breaker.would_be), ("CLOSED", "CLOSED"))
        self.assertEqual(self.breaker.stats()["window"]["calls"], 0)
        self.assertEqual((self.changes[-1].cause, self.changes[-1].command_id), ("command", "cmd-2"))
        self.breaker.release()  # nothing without an override
        self.assertEqual(len(self.changes), 2)

    def test_an_override_ends_on_its_own_at_expiry(self) -> None:
        self.breaker.force_open(expires_at=self.clock.now() + 5_000)
        self.clock.advance(4_999)
        self.assertEqual(self.breaker.state, "FORCED_OPEN")
        self.clock.advance(1)
        self.assertEqual(self.breaker.call(lambda: "again"), "again")
        self.assertEqual(self.changes[-1].cause, "override_expired")
        self.assertEqual(self.changes[-1].to_state, "CLOSED")

    def test_reset_clears_the_override_and_the_automatic_state(self) -> None:
        self.fail_twice()
        self.breaker.force_open()
        self.breaker.reset()
        self.assertEqual((self.breaker.state, self.breaker.would_be), ("CLOSED", "CLOSED"))
        self.assertEqual(self.changes[-1].cause, "manual")

    def test_stats_and_transitions_are_in_wire_form(self) -> None:
        self.fail_twice()
        self.assertEqual(self.changes[-1].to_wire(), {
            "breaker": "payments", "from": "CLOSED", "to": "OPEN", "wouldBe": "OPEN", "at": int(self.clock.now()),
            "cause": "failure_rate", "failureRate": 100, "slowCallRate": 0, "commandId": None,
        })
        stats = self.breaker.stats()
        self.assertEqual(set(stats), {"name", "state", "wouldBe", "override", "counters", "latency", "window"})
        self.assertEqual(stats["latency"], {"counts": [2], "sumMs": 0})


if __name__ == "__main__":
    unittest.main()
