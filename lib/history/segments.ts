import type { TBreakerState } from '../protocol/breaker-state';
import { SEVERITY, type TLaneSegment, type TLaneState } from './lane-state';

/** One instance's transitions in a range, and what is known of it around the range. */
export interface TInstanceHistory {
  /** Its state at `from`: the last transition before the range; null when it had none. */
  initial: TBreakerState | null;
  /** Its transitions inside the range, ordered by time. */
  transitions: ReadonlyArray<{ at: number; from: TBreakerState | null; to: TBreakerState }>;
  /** When it started being seen; its lane begins there when inside the range. */
  firstSeenAt: number;
  /** When it stops counting as live (last report + stale timeout); null while it is live. */
  staleFrom: number | null;
}

function push(segments: TLaneSegment[], state: TLaneState, from: number, to: number): void {
  if (to <= from) return;
  const last = segments.at(-1);
  if (last && last.state === state && last.to === from) last.to = to;
  else segments.push({ state, from, to });
}

/**
 * One instance's lane over [from, to): its state at the start (or its first
 * transition's `from` when nothing came before), each transition, and STALE
 * from the moment it stopped reporting, so a silent instance is never drawn
 * as healthy.
 */
export function instanceSegments(history: TInstanceHistory, from: number, to: number): TLaneSegment[] {
  const segments: TLaneSegment[] = [];
  const first = history.transitions[0];
  let state: TBreakerState | null = history.initial ?? first?.from ?? (first ? null : 'CLOSED');
  let since = Math.max(from, Math.min(history.firstSeenAt, first?.at ?? history.firstSeenAt));
  const end = Math.min(to, history.staleFrom ?? to);
  for (const transition of history.transitions) {
    const at = Math.min(Math.max(transition.at, from), end);
    if (state) push(segments, state, since, at);
    state = transition.to;
    since = Math.max(since, at);
  }
  if (state) push(segments, state, since, end);
  if (history.staleFrom !== null) push(segments, 'STALE', Math.max(from, history.staleFrom), to);
  return segments;
}

/**
 * The service-wide lane: at each moment the most severe state among the
 * instances that are live; STALE only when every instance with a lane is
 * stale (the same rule as the live overview).
 */
export function serviceSegments(lanes: ReadonlyArray<readonly TLaneSegment[]>, from: number, to: number): TLaneSegment[] {
  const cuts = new Set<number>([from, to]);
  for (const lane of lanes) for (const segment of lane) cuts.add(segment.from).add(segment.to);
  const times = [...cuts].filter((time) => time >= from && time <= to).sort((a, b) => a - b);
  const cursors = lanes.map(() => 0);
  const segments: TLaneSegment[] = [];
  for (let index = 0; index < times.length - 1; index += 1) {
    const start = times[index]!;
    let worst: TBreakerState | null = null;
    let stale = false;
    lanes.forEach((lane, laneIndex) => {
      let cursor = cursors[laneIndex]!;
      while (cursor < lane.length && lane[cursor]!.to <= start) cursor += 1;
      cursors[laneIndex] = cursor;
      const segment = lane[cursor];
      if (!segment || segment.from > start) return;
      if (segment.state === 'STALE') stale = true;
      else if (!worst || SEVERITY[segment.state] > SEVERITY[worst]) worst = segment.state;
    });
    const state: TLaneState | null = worst ?? (stale ? 'STALE' : null);
    if (state) push(segments, state, start, times[index + 1]!);
  }
  return segments;
}
