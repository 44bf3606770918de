import { describe, expect, it } from 'vitest';
import { createReconnectBackoff } from '../../../sdk/src/reporter/reconnect-backoff';

describe("the reporter's reconnect backoff", () => {
  it('doubles up to its cap with half of each delay random, and starts again after a success', () => {
    const highest = createReconnectBackoff(500, 4_000, () => 1);
    expect([1, 2, 3, 4, 5].map(() => highest.nextDelay())).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    highest.reset();
    expect(highest.nextDelay()).toBe(500);
    const lowest = createReconnectBackoff(500, 4_000, () => 0);
    expect([1, 2, 3, 4].map(() => lowest.nextDelay())).toEqual([250, 500, 1_000, 2_000]);
  });
});
