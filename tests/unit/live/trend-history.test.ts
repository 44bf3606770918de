import { describe, expect, it } from 'vitest';
import { TrendHistory } from '../../../app/_live/trend-history';

describe('sparkline samples', () => {
  it('put stored samples before the live ones, keep 15 minutes, and start a new point with the next live sample', () => {
    const trends = new TrendHistory();
    trends.record('b1', 7, 1_000);
    trends.seed('b1', [1, 2, 3], 1_500);
    expect(trends.get('b1')).toEqual([1, 2, 3, 7]);
    trends.seed(
      'b2',
      Array.from({ length: 95 }, (_, index) => index),
      1_000,
    );
    expect(trends.get('b2')).toHaveLength(90);
    expect(trends.get('b2')[0]).toBe(5);
    trends.record('b2', 42, 1_200);
    expect(trends.get('b2').at(-2)).toBe(94);
    expect(trends.get('b2').at(-1)).toBe(42);
  });
});
