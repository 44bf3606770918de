import { instanceSegments, serviceSegments } from '../../lib/history/segments.js';
import type { TActionMark, TBreakerLane, TTimeline, TTimelineQuery, TTripMark } from '../../lib/history/timeline.js';
import type { Queryable } from '../store/queryable';
import { actionMarks } from './action-marks';
import { breakersInScope } from './breakers-in-scope';
import { deployMarksOf } from './deploy-runs';
import { instanceStarts, type InstanceStart } from './instance-starts';
import { rangeTransitions, type RangeTransition } from './range-transitions';

export interface TimelineDependencies {
  db: Queryable;
  now: () => number;
  /** An instance silent for longer than this is stale (config.ingest.staleAfterMs). */
  staleAfterMs: number;
  /** last_seen_at is written in batches this often: silence shorter than a batch plus the stale timeout is not staleness. */
  flushIntervalMs: number;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const isTrip = (transition: RangeTransition) => transition.to === 'OPEN' && (transition.from === 'CLOSED' || transition.cause === 'failure_rate' || transition.cause === 'slow_call_rate');

/**
 * The swimlanes over [from, to): for each breaker in scope, each instance's
 * lane replayed from its state at `from`, the service-wide lane (the most
 * severe live state), the trips with the rates that caused them and the
 * operator actions; the deploy markers of the services shown.
 */
export function createTimeline({ db, now, staleAfterMs, flushIntervalMs }: TimelineDependencies) {
  function staleFrom(start: InstanceStart, at: number): number | null {
    return at - start.lastSeenAt > staleAfterMs + flushIntervalMs ? start.lastSeenAt + staleAfterMs : null;
  }

  return async function timeline(query: TTimelineQuery): Promise<TTimeline> {
    const at = now();
    const breakers = await breakersInScope(db, query);
    const ids = breakers.map((breaker) => breaker.id);
    const [starts, transitions, actions, deploys] = await Promise.all([
      instanceStarts(db, ids, query.from),
      rangeTransitions(db, ids, query.from, query.to),
      actionMarks(db, ids, query.from, query.to),
      deployMarksOf(db, [...new Set(breakers.map((breaker) => breaker.service))], query.from, query.to),
    ]);
    const startsByBreaker = groupBy(starts, (start) => start.breakerId);
    const transitionsByBreaker = groupBy(transitions, (transition) => transition.breakerId);
    const actionsByBreaker = groupBy(actions, (action) => action.breakerId);

    const lanes = breakers.map((breaker): TBreakerLane => {
      const own = transitionsByBreaker.get(breaker.id) ?? [];
      const byInstance = groupBy(own, (transition) => transition.instanceId!);
      const known = startsByBreaker.get(breaker.id) ?? [];
      // An instance whose state was never flushed yet still has its transitions.
      const unlisted = [...byInstance.keys()].filter((id) => !known.some((start) => start.instanceId === id));
      const instances = [
        ...known,
        ...unlisted.map((id) => ({ breakerId: breaker.id, instanceId: id, name: byInstance.get(id)![0]!.instance ?? id, initial: null, firstSeenAt: query.from, lastSeenAt: at })),
      ].map((start) => ({
        instanceId: start.instanceId,
        name: start.name,
        segments: instanceSegments(
          { initial: start.initial, transitions: byInstance.get(start.instanceId) ?? [], firstSeenAt: start.firstSeenAt, staleFrom: staleFrom(start, at) },
          query.from,
          Math.min(query.to, Math.max(at, query.from + 1)),
        ),
      }));
      const trips: TTripMark[] = own
        .filter(isTrip)
        .map((transition) => ({ at: transition.at, instance: transition.instance ?? '', cause: transition.cause, failureRate: transition.failureRate, slowCallRate: transition.slowCallRate }));
      const laneActions: TActionMark[] = actionsByBreaker.get(breaker.id) ?? [];
      return {
        breakerId: breaker.id,
        service: breaker.service,
        breaker: breaker.name,
        segments: serviceSegments(
          instances.map((instance) => instance.segments),
          query.from,
          query.to,
        ),
        trips,
        actions: laneActions,
        ...(query.instances ? { instances } : {}),
      };
    });
    return { from: query.from, to: query.to, serverTime: at, lanes, deploys };
  };
}
