import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../../server/notify/retry-delay';

describe('retryDelay', () => {
  const limits = { baseMs: 1_000, maxMs: 10_000 };

  it('doubles per attempt up to the cap, between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(attempt, limits, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(attempt, limits, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
  });
});
