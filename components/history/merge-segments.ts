import type { TLaneSegment, TLaneState } from '../../lib/history/lane-state';

const RANK: Record<TLaneState, number> = { FORCED_OPEN: 6, OPEN: 5, HALF_OPEN: 4, STALE: 3, FORCED_CLOSED: 2, CLOSED: 1 };

/**
 * Segments as drawn at `columns` horizontal resolution: runs narrower than a
 * column are merged and take their most severe state, so a month of a
 * flapping breaker is a few hundred shapes, not thousands, and a short trip
 * never disappears between two pixels.
 */
export function mergeForWidth(segments: readonly TLaneSegment[], from: number, to: number, columns: number): TLaneSegment[] {
  const minimum = (to - from) / columns;
  const merged: TLaneSegment[] = [];
  for (const segment of segments) {
    const start = Math.max(segment.from, from);
    const end = Math.min(segment.to, to);
    if (end <= start) continue;
    const last = merged.at(-1);
    const thin = end - start < minimum;
    if (last && thin && last.to - last.from < minimum && last.to >= start) {
      // A run of slivers becomes one shape in its most severe state; a wide neighbour keeps its own.
      if (RANK[segment.state] > RANK[last.state]) last.state = segment.state;
      last.to = end;
    } else if (last && last.state === segment.state && last.to === start) last.to = end;
    else merged.push({ state: segment.state, from: start, to: end });
  }
  return merged;
}
