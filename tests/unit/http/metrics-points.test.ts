import { describe, expect, it } from 'vitest';
import { latencyBucketMidpoint } from '../../../lib/protocol/latency-buckets.js';
import { metricsPoints } from '../../../server/http/metrics-points';

const counts = (success: number, failure = 0) => [success, failure, 0, 0, 0, 0];

describe('metricsPoints', () => {
  it('adds the buckets not written yet to the steps that hold them, summing histograms for the percentiles', () => {
    const stored = [
      { start: 60_000, counts: counts(10), histogram: [10] },
      { start: 120_000, counts: counts(5, 1), histogram: [0, 6] },
    ];
    const owed = [
      // Inside the step at 120 s: its counts and latencies join the stored ones.
      { bucketStart: 130_000, counts: counts(2, 2), histogram: [0, 0, 0, 0, 4] },
      // A step of its own.
      { bucketStart: 180_000, counts: counts(1), histogram: [1] },
      // Outside [from, to): left out, as the database query leaves it out.
      { bucketStart: 240_000, counts: counts(100), histogram: [100] },
    ];
    const points = metricsPoints(stored, owed, { stepSecs: 60, from: 60_000, to: 240_000 });
    expect(points.map((point) => [point.start, point.success, point.failure])).toEqual([
      [60_000, 10, 0],
      [120_000, 7, 3],
      [180_000, 1, 0],
    ]);
    // 6 latencies in bucket 1 and 4 in bucket 4: the median is in bucket 1, the 90th percentile in bucket 4.
    expect(points[1]!.p50Ms).toBeCloseTo(latencyBucketMidpoint(1));
    expect(points[1]!.p90Ms).toBeCloseTo(latencyBucketMidpoint(4));
  });

  it('sums a step that came from two resolutions', () => {
    const points = metricsPoints(
      [
        { start: 0, counts: counts(3), histogram: [3] },
        { start: 0, counts: counts(1), histogram: [0, 0, 1] },
      ],
      [],
      { stepSecs: 3600, from: 0, to: 3_600_000 },
    );
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ start: 0, success: 4, p50Ms: latencyBucketMidpoint(0) });
    expect(points[0]!.p99Ms).toBeCloseTo(latencyBucketMidpoint(2));
  });
});
