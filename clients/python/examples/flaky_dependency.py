"""An asyncio service calling a flaky dependency through a circuit breaker,
reported to Breaker Panel — the classic circuit breaker lesson: when the
dependency fails, stop hammering it and answer at once; let a trial call
through now and then; close again once it is healthy. An operator can trip
or release the breaker from the panel and the calls below follow.

    PANEL_URL=http://localhost:3000 PANEL_API_KEY=bp_… python3 examples/flaky_dependency.py

Environment: PANEL_URL, PANEL_API_KEY (without them it runs unreported),
SERVICE (python-shop), INSTANCE (host-pid), BREAKER (recommendations-api),
FAILURE_RATE (share of dependency calls that fail, 0–1; 0.3), CALL_INTERVAL_MS
(200), EXAMPLE_CALLS (how many calls before exiting; 0 = until SIGTERM/Ctrl-C).
It prints one line per call ("call 12: passed …" / "call 13: rejected …") and
one per state change, so a person or a test can follow it.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal

from breaker_panel import BreakerOpenError, CircuitBreaker, connect_panel, count_window


class DependencyError(Exception):
    """What the flaky dependency raises."""


async def recommendations(user: int, failure_rate: float) -> list:
    """The flaky dependency: a remote call that takes a few ms and sometimes fails."""
    await asyncio.sleep(random.uniform(0.002, 0.02))
    if random.random() < failure_rate:
        raise DependencyError("recommendations-api answered 503")
    return [f"item-{user}-{n}" for n in range(3)]


async def main() -> None:
    env = os.environ
    failure_rate = float(env.get("FAILURE_RATE", "0.3"))
    interval = int(env.get("CALL_INTERVAL_MS", "200")) / 1000
    calls = int(env.get("EXAMPLE_CALLS", "0"))

    # The few lines that instrument the service: a breaker, and a reporter that connects it to the panel.
    breaker = CircuitBreaker(env.get("BREAKER", "recommendations-api"), window=count_window(20), minimum_calls=5,
                             failure_rate_threshold=50, open_timeout=5_000, timeout=1_000)
    reporter = None
    if env.get("PANEL_URL") and env.get("PANEL_API_KEY"):
        reporter = connect_panel(env["PANEL_URL"], env["PANEL_API_KEY"], env.get("SERVICE", "python-shop"),
                                 instance=env.get("INSTANCE") or None, breakers=[breaker])
        reporter.on("registered", lambda _: print("reporter: registered with the panel", flush=True))
    breaker.on("state_change", lambda change: print(
        f"state: {change.from_state} -> {change.to_state} ({change.cause}{', command ' + change.command_id if change.command_id else ''})", flush=True))

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    number = 0
    while not stop.is_set() and (calls == 0 or number < calls):
        number += 1
        try:
            items = await breaker.call_async(recommendations, number, failure_rate)
            print(f"call {number}: passed ({len(items)} items)", flush=True)
        except BreakerOpenError as error:
            print(f"call {number}: rejected ({error.state})", flush=True)
        except Exception as error:  # noqa: BLE001 - the example shows every failure
            print(f"call {number}: failed ({type(error).__name__})", flush=True)
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except asyncio.TimeoutError:
            pass

    print(f"stats: {breaker.stats()['counters']}", flush=True)
    if reporter is not None:
        await loop.run_in_executor(None, reporter.close)  # the final report; close() blocks, so not on the loop


if __name__ == "__main__":
    asyncio.run(main())
