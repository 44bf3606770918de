import type { SlidingWindow } from './sliding-window.js';

/**
 * The calls of the last `seconds` seconds, in one bucket per second. A bucket
 * is stamped with the second it holds; a stale stamp means the bucket aged out.
 * Totals are kept incrementally and aged at most once per second.
 */
export function createTimeWindow(seconds: number): SlidingWindow {
  const stamps = new Float64Array(seconds).fill(-Infinity);
  const bucketCalls = new Uint32Array(seconds);
  const bucketFailures = new Uint32Array(seconds);
  const bucketSlow = new Uint32Array(seconds);
  let calls = 0;
  let failures = 0;
  let slowCalls = 0;
  let agedAt = -Infinity;

  function clear(index: number): void {
    calls -= bucketCalls[index] as number;
    failures -= bucketFailures[index] as number;
    slowCalls -= bucketSlow[index] as number;
    bucketCalls[index] = 0;
    bucketFailures[index] = 0;
    bucketSlow[index] = 0;
  }

  function age(now: number): void {
    const second = Math.floor(now / 1000);
    if (second === agedAt) return;
    agedAt = second;
    const oldest = second - seconds + 1;
    for (let index = 0; index < seconds; index++) {
      if ((stamps[index] as number) < oldest && bucketCalls[index] !== 0) clear(index);
    }
  }

  return {
    record(failed, slow, now) {
      age(now);
      const second = Math.floor(now / 1000);
      const index = second % seconds;
      if (stamps[index] !== second) {
        clear(index);
        stamps[index] = second;
      }
      bucketCalls[index] = (bucketCalls[index] as number) + 1;
      calls += 1;
      if (failed) {
        bucketFailures[index] = (bucketFailures[index] as number) + 1;
        failures += 1;
      }
      if (slow) {
        bucketSlow[index] = (bucketSlow[index] as number) + 1;
        slowCalls += 1;
      }
      return calls;
    },
    calls(now) {
      age(now);
      return calls;
    },
    failures(now) {
      age(now);
      return failures;
    },
    slowCalls(now) {
      age(now);
      return slowCalls;
    },
    // Every call adds to the current second's bucket.
    absorbsSuccess: () => false,
    reset() {
      stamps.fill(-Infinity);
      bucketCalls.fill(0);
      bucketFailures.fill(0);
      bucketSlow.fill(0);
      calls = 0;
      failures = 0;
      slowCalls = 0;
    },
  };
}
