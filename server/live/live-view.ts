import type { TBreakerSummary } from '../../lib/api/breaker-summary.js';
import type { TLiveScope, TLiveSnapshot } from '../../lib/live/dashboard-events';
import type { Aggregate } from '../aggregate/aggregate';

export type LiveView = ReturnType<typeof createLiveView>;

/** Reads the aggregate as the dashboards see it. */
export function createLiveView(aggregate: Aggregate, now: () => number) {
  const summaries = (ids: Iterable<string>): TBreakerSummary[] => {
    const result: TBreakerSummary[] = [];
    for (const id of ids) {
      const summary = aggregate.summary(id);
      if (summary) result.push(summary);
    }
    return result;
  };

  return {
    summaries,
    snapshot(scope: TLiveScope): TLiveSnapshot {
      switch (scope.kind) {
        case 'all':
          return { serverTime: now(), breakers: summaries(aggregate.breakerIds()) };
        case 'service':
          return { serverTime: now(), breakers: summaries(aggregate.breakerIds({ service: scope.service })) };
        case 'breaker':
          return { serverTime: now(), breakers: summaries([scope.breakerId]), instances: aggregate.instancesOf(scope.breakerId) };
      }
    },
  };
}
