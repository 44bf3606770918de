/** Where a breaker reads the time: epoch milliseconds, fractions allowed. */
export interface Clock {
  now(): number;
}

/**
 * Exact time from the monotonic high-resolution timer, shifted to the epoch.
 * On virtual machines each read can cost ~100 ns, which is more than the rest
 * of the hot path, hence createTurnClock().
 */
export const preciseClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
};

/**
 * A clock that reads `source` once per event-loop turn and answers every
 * further read in that turn from the cache. Calls that settle within the turn
 * they started in measure as 0 ms (they are: no I/O happened in between);
 * anything that waits on I/O spans turns and is measured to within the length
 * of a turn. This is what keeps `execute` within a few tens of nanoseconds of a
 * bare `await`. Pass `preciseClock` to a breaker that needs sub-turn precision.
 * `onTurnEnd` runs when a cached reading is dropped, so a caller can drop what
 * it derived from that reading at the same moment.
 */
export function createTurnClock(source: Clock = preciseClock, onTurnEnd?: () => void): Clock {
  let cached = 0;
  let valid = false;
  const forget = (): void => {
    valid = false;
    onTurnEnd?.();
  };
  return {
    now(): number {
      if (!valid) {
        cached = source.now();
        valid = true;
        // One setImmediate per turn that reads the clock, not per call.
        setImmediate(forget);
      }
      return cached;
    },
  };
}
