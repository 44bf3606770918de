"""The automatic state machine at its boundaries, on a fake clock."""

import unittest

import _support  # noqa: F401 - puts the client on sys.path
from _support import FakeClock

from breaker_panel import BreakerOpenError, CircuitBreaker, count_window, time_window


class Boom(Exception):
    pass


class NotFound(Exception):
    pass


def fail() -> None:
    raise Boom()


def ok() -> str:
    return "ok"


def run(breaker: CircuitBreaker, outcomes: str) -> None:
    """'f' a failure, 's' a success; rejections are left to the test."""
    for outcome in outcomes:
        try:
            breaker.call(fail if outcome == "f" else ok)
        except Boom:
            pass


class StateMachineTest(unittest.TestCase):
    def setUp(self) -> None:
        self.clock = FakeClock()
        self.changes = []

    def breaker(self, **options) -> CircuitBreaker:
        breaker = CircuitBreaker("payments", clock=self.clock, **options)
        breaker.on("state_change", self.changes.append)
        return breaker

    def test_mirrors_the_node_sdk_defaults(self) -> None:
        config = CircuitBreaker("defaults").describe()
        self.assertEqual(config, {
            "implementation": "breaker-panel", "window": {"type": "count", "size": 100}, "failureRateThreshold": 50,
            "slowCallThresholdMs": None, "slowCallRateThreshold": None, "minimumCalls": 10, "openTimeoutMs": 30_000,
            "openTimeoutBackoff": None, "halfOpenMaxCalls": 1, "callTimeoutMs": None, "hasFallback": False,
        })
        self.assertEqual(CircuitBreaker("small", window=count_window(4)).describe()["minimumCalls"], 4)
        self.assertEqual(CircuitBreaker("slow", slow_call_threshold=200).describe()["slowCallRateThreshold"], 100)

    def test_rejects_impossible_settings_at_construction(self) -> None:
        for options in ({"minimum_calls": 11, "window": count_window(10)}, {"failure_rate_threshold": 0},
                        {"half_open_max_calls": 0}, {"timeout": 0}, {"window": {"type": "count", "size": 0}},
                        {"open_timeout_backoff": {"multiplier": 2, "max_ms": 10}}):
            with self.subTest(options=options), self.assertRaises(ValueError):
                CircuitBreaker("bad", **options)

    def test_makes_no_trip_decision_below_minimum_calls(self) -> None:
        breaker = self.breaker(minimum_calls=5, window=count_window(10))
        run(breaker, "ffff")
        self.assertEqual(breaker.state, "CLOSED")
        run(breaker, "f")
        self.assertEqual(breaker.state, "OPEN")

    def test_trips_exactly_at_the_failure_rate_threshold(self) -> None:
        breaker = self.breaker(minimum_calls=4, window=count_window(4), failure_rate_threshold=50)
        run(breaker, "sssf")  # 25 %
        self.assertEqual(breaker.state, "CLOSED")
        run(breaker, "f")  # window s s f f: 50 %
        self.assertEqual(breaker.state, "OPEN")
        change = self.changes[-1]
        self.assertEqual((change.from_state, change.to_state, change.cause, change.failure_rate), ("CLOSED", "OPEN", "failure_rate", 50))

    def test_the_count_window_forgets_the_oldest_call(self) -> None:
        breaker = self.breaker(minimum_calls=4, window=count_window(4), failure_rate_threshold=75)
        run(breaker, "ffss")  # 50 %
        run(breaker, "s")  # f s s s: 25 %
        self.assertEqual(breaker.stats()["window"], {"calls": 4, "failureRate": 25, "slowCallRate": 0})
        run(breaker, "ff")  # s s f f: 50 %
        self.assertEqual(breaker.state, "CLOSED")

    def test_a_success_bringing_the_window_to_minimum_calls_can_trip(self) -> None:
        breaker = self.breaker(minimum_calls=3, window=count_window(10), failure_rate_threshold=60)
        run(breaker, "ffs")  # 66 % reached by the third call, a success
        self.assertEqual(breaker.state, "OPEN")

    def test_the_time_window_ages_out_old_seconds(self) -> None:
        breaker = self.breaker(minimum_calls=2, window=time_window(10), failure_rate_threshold=50)
        run(breaker, "f")
        self.clock.advance(10_000)  # the failure's second has left the window
        run(breaker, "s")
        self.assertEqual(breaker.stats()["window"]["calls"], 1)
        run(breaker, "s")
        self.clock.advance(9_000)  # both successes still inside
        run(breaker, "f")
        self.assertEqual(breaker.state, "CLOSED")  # 1 of 3
        run(breaker, "f")
        self.assertEqual(breaker.state, "OPEN")  # 2 of 4

    def test_trips_on_the_slow_call_rate(self) -> None:
        breaker = self.breaker(minimum_calls=2, window=count_window(2), slow_call_threshold=100, slow_call_rate_threshold=100)

        def slow() -> None:
            self.clock.advance(101)

        breaker.call(slow)
        breaker.call(lambda: self.clock.advance(100))  # exactly at the threshold is not slow
        self.assertEqual(breaker.state, "CLOSED")
        breaker.call(slow)  # window: not slow, slow
        self.assertEqual(breaker.state, "CLOSED")
        breaker.call(slow)  # window: slow, slow
        self.assertEqual(breaker.state, "OPEN")
        self.assertEqual(self.changes[-1].cause, "slow_call_rate")
        self.assertEqual(breaker.stats()["counters"]["slow"], 3)

    def test_stays_open_until_the_open_timeout_then_lets_trials_through(self) -> None:
        breaker = self.breaker(minimum_calls=1, window=count_window(1), open_timeout=1_000, half_open_max_calls=2)
        run(breaker, "f")
        self.clock.advance(999)
        with self.assertRaises(BreakerOpenError) as rejected:
            breaker.call(ok)
        self.assertEqual(rejected.exception.state, "OPEN")
        self.clock.advance(1)
        self.assertEqual(breaker.state, "HALF_OPEN")
        self.assertEqual(self.changes[-1].cause, "open_timeout_elapsed")
        with breaker:  # first trial, still running
            with breaker:  # second trial
                with self.assertRaises(BreakerOpenError) as third:
                    breaker.call(ok)
                self.assertEqual(third.exception.state, "HALF_OPEN")
        self.assertEqual(breaker.state, "CLOSED")
        self.assertEqual(self.changes[-1].cause, "trials_succeeded")
        self.assertEqual(breaker.stats()["window"]["calls"], 0)  # a fresh window
        self.assertEqual(breaker.stats()["counters"]["rejected"], 2)

    def test_a_failed_trial_reopens_with_a_growing_capped_timeout(self) -> None:
        breaker = self.breaker(minimum_calls=1, window=count_window(1), open_timeout=1_000,
                               open_timeout_backoff={"multiplier": 2, "max_ms": 3_000})
        run(breaker, "f")
        for expected_timeout in (2_000, 3_000, 3_000):
            self.clock.advance(100_000)
            run(breaker, "f")  # the trial fails
            self.assertEqual(self.changes[-1].cause, "trial_failed")
            self.clock.advance(expected_timeout - 1)
            self.assertEqual(breaker.state, "OPEN")
            self.clock.advance(1)
            self.assertEqual(breaker.state, "HALF_OPEN")
        run(breaker, "s")
        self.assertEqual(breaker.state, "CLOSED")
        run(breaker, "f")
        self.clock.advance(1_000)  # backoff was reset by closing
        self.assertEqual(breaker.state, "HALF_OPEN")

    def test_a_call_admitted_before_a_trip_does_not_steer_the_new_state(self) -> None:
        breaker = self.breaker(minimum_calls=1, window=count_window(1), open_timeout=1_000)
        with self.assertRaises(Boom):
            with breaker:  # admitted in CLOSED, ends after the trip and the trial below
                run(breaker, "f")
                self.clock.advance(1_000)
                run(breaker, "s")  # the trial closes it
                self.assertEqual(breaker.state, "CLOSED")
                raise Boom()
        self.assertEqual(breaker.state, "CLOSED")
        self.assertEqual(breaker.stats()["counters"]["failure"], 2)  # counted, but it did not trip the fresh window

    def test_errors_is_failure_excludes_count_as_successes(self) -> None:
        breaker = self.breaker(minimum_calls=1, window=count_window(1), is_failure=lambda error: not isinstance(error, NotFound))

        def not_found() -> None:
            raise NotFound()

        with self.assertRaises(NotFound):
            breaker.call(not_found)
        self.assertEqual(breaker.state, "CLOSED")
        self.assertEqual(breaker.stats()["counters"]["success"], 1)

    def test_a_fallback_answers_rejected_and_failed_calls(self) -> None:
        reasons = []
        breaker = self.breaker(minimum_calls=1, window=count_window(1), fallback=lambda error, reason: reasons.append(reason) or "cached")
        self.assertEqual(breaker.call(fail), "cached")
        self.assertEqual(breaker.call(ok), "cached")
        self.assertEqual(reasons, ["failure", "rejected"])
        self.assertEqual(breaker.stats()["counters"], {"success": 0, "failure": 1, "timeout": 0, "rejected": 1, "slow": 0, "fallback": 2})

    def test_a_sync_call_that_returns_late_counts_as_a_timeout(self) -> None:
        from breaker_panel import BreakerTimeoutError

        breaker = self.breaker(timeout=500, minimum_calls=1, window=count_window(1))
        with self.assertRaises(BreakerTimeoutError):
            breaker.call(lambda: self.clock.advance(501))
        self.assertEqual(breaker.state, "OPEN")
        self.assertEqual(breaker.stats()["counters"]["timeout"], 1)

    def test_an_interrupted_trial_hands_its_permit_back(self) -> None:
        breaker = self.breaker(minimum_calls=1, window=count_window(1), open_timeout=1_000)
        run(breaker, "f")
        self.clock.advance(1_000)

        def interrupted() -> None:
            raise KeyboardInterrupt()

        with self.assertRaises(KeyboardInterrupt):
            breaker.call(interrupted)
        self.assertEqual(breaker.call(ok), "ok")  # the trial slot was free again
        self.assertEqual(breaker.state, "CLOSED")

    def test_the_decorator_and_the_context_manager_run_under_the_breaker(self) -> None:
        breaker = self.breaker(minimum_calls=3, window=count_window(3))

        @breaker
        def charge(amount: int) -> int:
            if amount < 0:
                raise Boom()
            return amount

        self.assertEqual(charge(3), 3)
        self.assertEqual(charge.__name__, "charge")
        with self.assertRaises(Boom):
            charge(-1)
        with self.assertRaises(Boom):
            with breaker:
                raise Boom()
        with self.assertRaises(BreakerOpenError):
            with breaker:
                self.fail("a rejected block must not run")
        self.assertEqual(breaker.stats()["counters"], {"success": 1, "failure": 2, "timeout": 0, "rejected": 1, "slow": 0, "fallback": 0})


if __name__ == "__main__":
    unittest.main()
