import { describe, expect, it } from 'vitest';
import type { TMetricsPoint } from '../../../lib/api/metrics-series';
import { trailingRejected } from '../../../components/breaker-detail/rejected-run';
import { allRejected, allRejectedText } from '../../../components/rejected-calls-text';

const point = (start: number, executed: number, rejected: number): TMetricsPoint => ({
  start,
  success: executed,
  failure: 0,
  timeout: 0,
  rejected,
  slow: 0,
  fallback: 0,
  p50Ms: null,
  p90Ms: null,
  p99Ms: null,
});

describe('an open breaker that runs no call', () => {
  it('counts the calls rejected since the last point in which a call ran', () => {
    expect(trailingRejected([point(0, 10, 0), point(10, 2, 5), point(20, 0, 700), point(30, 0, 534)])).toBe(1234);
    expect(trailingRejected([point(0, 0, 3), point(10, 4, 0)])).toBe(0);
    expect(trailingRejected([])).toBe(0);
  });

  it('is told apart from an idle breaker: calls arrive and none executes', () => {
    expect(allRejected({ failureRate: null, rejectedPerSecond: 4 })).toBe(true);
    expect(allRejected({ failureRate: null, rejectedPerSecond: 0 })).toBe(false);
    expect(allRejected({ failureRate: 0, rejectedPerSecond: 4 })).toBe(false);
  });

  it('explains its empty rates in the state’s words, with a count or a rate', () => {
    expect(allRejectedText({ count: 1234 }, 'OPEN')).toBe('no calls executed: all 1,234 rejected while open');
    expect(allRejectedText({ perSecond: 12.34 }, 'FORCED_OPEN')).toBe('no calls executed: all 12/s rejected while tripped by hand');
    expect(allRejectedText({ perSecond: 2.34 }, 'HALF_OPEN')).toBe('no calls executed: all 2.3/s rejected while half-open');
    expect(allRejectedText({ count: 3 }, null)).toBe('no calls executed: all 3 rejected');
  });
});
