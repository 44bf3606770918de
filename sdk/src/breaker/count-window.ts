import type { SlidingWindow } from './sliding-window.js';

const FAILED = 1;
const SLOW = 2;

/**
 * The last `size` calls, in a ring of one byte per call (bit 0 failed, bit 1
 * slow); totals are kept incrementally so reads are O(1).
 */
export function createCountWindow(size: number): SlidingWindow {
  const ring = new Uint8Array(size);
  let next = 0;
  let filled = 0;
  let failures = 0;
  let slowCalls = 0;
  return {
    record(failed, slow) {
      if (filled === size) {
        const evicted = ring[next] as number;
        failures -= evicted & FAILED;
        slowCalls -= (evicted & SLOW) >> 1;
      } else {
        filled += 1;
      }
      ring[next] = (failed ? FAILED : 0) | (slow ? SLOW : 0);
      if (failed) failures += 1;
      if (slow) slowCalls += 1;
      next = next + 1 === size ? 0 : next + 1;
      return filled;
    },
    calls: () => filled,
    failures: () => failures,
    slowCalls: () => slowCalls,
    // A full ring of plain successes is the same ring whichever slot comes next.
    absorbsSuccess: () => filled === size && failures === 0 && slowCalls === 0,
    reset() {
      next = 0;
      filled = 0;
      failures = 0;
      slowCalls = 0;
    },
  };
}
