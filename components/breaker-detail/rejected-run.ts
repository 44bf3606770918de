import type { TMetricsPoint } from '../../lib/api/metrics-series';

/**
 * The calls rejected in the newest stretch of points in which no call ran:
 * how many an open breaker has turned away since it last let one through
 * (within the points given). Zero when the newest point executed calls.
 */
export function trailingRejected(points: readonly TMetricsPoint[]): number {
  let rejected = 0;
  for (let index = points.length - 1; index >= 0; index -= 1) {
    const point = points[index]!;
    if (point.success + point.failure + point.timeout > 0) break;
    rejected += point.rejected;
  }
  return rejected;
}
