"""The breaker from asyncio code and from many threads at once."""

import asyncio
import threading
import unittest

import _support  # noqa: F401 - puts the client on sys.path
from _support import FakeClock

from breaker_panel import BreakerOpenError, BreakerTimeoutError, CircuitBreaker, count_window


class Boom(Exception):
    pass


class AsyncioTest(unittest.IsolatedAsyncioTestCase):
    async def test_call_async_and_async_with_record_outcomes(self) -> None:
        breaker = CircuitBreaker("search", clock=FakeClock(), minimum_calls=3, window=count_window(3))

        async def answer(value: int) -> int:
            await asyncio.sleep(0)
            return value

        self.assertEqual(await breaker.call_async(answer, 7), 7)
        async with breaker:
            await asyncio.sleep(0)
        with self.assertRaises(Boom):
            async with breaker:
                raise Boom()
        self.assertEqual(breaker.stats()["counters"]["success"], 2)
        self.assertEqual(breaker.stats()["counters"]["failure"], 1)

    async def test_the_async_decorator_trips_and_rejects(self) -> None:
        breaker = CircuitBreaker("search", clock=FakeClock(), minimum_calls=2, window=count_window(2))

        @breaker
        async def query() -> None:
            raise Boom()

        for _ in range(2):
            with self.assertRaises(Boom):
                await query()
        with self.assertRaises(BreakerOpenError):
            await query()
        self.assertEqual(breaker.state, "OPEN")

    async def test_a_timeout_cancels_the_call_and_counts_a_timeout(self) -> None:
        breaker = CircuitBreaker("search", timeout=20, minimum_calls=1, window=count_window(1))
        cancelled = asyncio.Event()

        async def hang() -> None:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.set()
                raise

        with self.assertRaises(BreakerTimeoutError):
            await breaker.call_async(hang)
        await asyncio.wait_for(cancelled.wait(), 5)
        self.assertEqual(breaker.stats()["counters"]["timeout"], 1)
        self.assertEqual(breaker.state, "OPEN")

    async def test_the_calls_own_timeout_error_is_a_failure_not_a_breaker_timeout(self) -> None:
        breaker = CircuitBreaker("search", timeout=10_000)

        async def own_timeout() -> None:
            raise asyncio.TimeoutError()

        with self.assertRaises(asyncio.TimeoutError):
            await breaker.call_async(own_timeout)
        self.assertEqual(breaker.stats()["counters"]["failure"], 1)

    async def test_an_async_fallback_answers(self) -> None:
        async def cached(error: BaseException, reason: str) -> str:
            return f"cached ({reason})"

        breaker = CircuitBreaker("search", fallback=cached)
        breaker.force_open()

        async def never() -> str:
            return "never"

        self.assertEqual(await breaker.call_async(never), "cached (rejected)")

    async def test_a_cancelled_trial_hands_its_permit_back(self) -> None:
        clock = FakeClock()
        breaker = CircuitBreaker("search", clock=clock, minimum_calls=1, window=count_window(1), open_timeout=1_000)
        with self.assertRaises(Boom):
            async with breaker:
                raise Boom()
        clock.advance(1_000)
        started = asyncio.Event()

        async def trial() -> None:
            async with breaker:
                started.set()
                await asyncio.Event().wait()

        task = asyncio.ensure_future(trial())
        await started.wait()
        task.cancel()
        with self.assertRaises(asyncio.CancelledError):
            await task
        async with breaker:  # the permit is free again: this is the trial
            pass
        self.assertEqual(breaker.state, "CLOSED")

    async def test_concurrent_tasks_keep_their_own_calls_apart(self) -> None:
        breaker = CircuitBreaker("search", minimum_calls=100, window=count_window(100))

        async def one(index: int) -> None:
            try:
                async with breaker:
                    await asyncio.sleep(0.001 * (index % 3))
                    if index % 2:
                        raise Boom()
            except Boom:
                pass

        await asyncio.gather(*(one(index) for index in range(50)))
        counters = breaker.stats()["counters"]
        self.assertEqual((counters["success"], counters["failure"]), (25, 25))


class ThreadsTest(unittest.TestCase):
    def test_many_threads_count_every_call_once(self) -> None:
        breaker = CircuitBreaker("search", minimum_calls=10, window=count_window(10), failure_rate_threshold=100)
        barrier = threading.Barrier(8)

        def work(index: int) -> None:
            barrier.wait()
            for call in range(500):
                try:
                    with breaker:
                        if (index + call) % 10 == 0:
                            raise Boom()
                except Boom:
                    pass

        threads = [threading.Thread(target=work, args=(index,)) for index in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counters = breaker.stats()["counters"]
        self.assertEqual(counters["success"] + counters["failure"], 4_000)
        self.assertEqual(counters["failure"], 400)
        self.assertEqual(sum(breaker.stats()["latency"]["counts"]), 4_000)


if __name__ == "__main__":
    unittest.main()
