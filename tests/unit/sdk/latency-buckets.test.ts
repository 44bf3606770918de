import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT, latencyBucketIndex, latencyQuantile } from '../../../lib/protocol/index.js';

describe('latency buckets', () => {
  it('are log-spaced from 1 ms to past 60 s', () => {
    expect(LATENCY_BUCKET_BOUNDS_MS[0]).toBe(1);
    expect(LATENCY_BUCKET_BOUNDS_MS.at(-1)).toBeGreaterThan(60_000);
    expect(LATENCY_BUCKET_COUNT).toBe(LATENCY_BUCKET_BOUNDS_MS.length + 1);
  });

  it('put a value equal to a bound in that bound’s bucket, and just above it in the next', () => {
    LATENCY_BUCKET_BOUNDS_MS.forEach((bound, index) => {
      expect(latencyBucketIndex(bound)).toBe(index);
      expect(latencyBucketIndex(bound * 1.000001)).toBe(index + 1);
    });
    expect(latencyBucketIndex(0)).toBe(0);
    expect(latencyBucketIndex(-3)).toBe(0);
    expect(latencyBucketIndex(Number.NaN)).toBe(0);
    expect(latencyBucketIndex(1e9)).toBe(LATENCY_BUCKET_COUNT - 1);
  });

  it('estimate any latency from 1 ms to 60 s within 10 %', () => {
    for (let latency = 1; latency <= 60_000; latency *= 1.013) {
      const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
      counts[latencyBucketIndex(latency)] = 1;
      const estimate = latencyQuantile(counts, 0.99) as number;
      expect(Math.abs(estimate - latency) / latency).toBeLessThanOrEqual(0.1);
    }
  });

  it('give p99 of a mixed histogram', () => {
    const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
    counts[latencyBucketIndex(10)] = 990;
    counts[latencyBucketIndex(500)] = 10;
    expect(latencyQuantile(counts, 0.99)).toBeCloseTo(10, -1);
    expect(latencyQuantile(counts, 0.999)! / 500).toBeGreaterThan(0.9);
    expect(latencyQuantile([], 0.5)).toBeNull();
  });
});
