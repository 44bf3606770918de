import { reportApplier } from './apply-report';
import { LiveEntries, type AggregateOptions, type BreakerState, type InstanceState } from './live-entries';
import { checkLiveness } from './live-states';
import { registration } from './registration';
import { views } from './views';

export type { AggregateOptions, InstanceIdentity } from './live-entries';

export type Aggregate = ReturnType<typeof createAggregate>;

/**
 * The live state in memory, by concern: the entries (live-entries.ts) and how
 * they become known (registration.ts), reports applied to them
 * (apply-report.ts) through the pairs' counters (pair-counters.ts) into the
 * writes owed to the database (pending-writes.ts), liveness (live-states.ts),
 * the breakers changed since the dashboards were last sent them
 * (dirty-breakers.ts) and the views read of them (views.ts). No I/O.
 */
export function createAggregate(options: AggregateOptions) {
  const live = new LiveEntries(options);
  return {
    instances: live.instances as ReadonlyMap<string, Readonly<InstanceState>>,
    breakers: live.breakers as ReadonlyMap<string, Readonly<BreakerState>>,
    pending: live.pending,
    counters: live.counters,
    dirty: live.dirty,
    ...registration(live),
    ...reportApplier(live),
    ...views(live),
    checkLiveness: () => checkLiveness(live),
    stats(): { instances: number; breakers: number; pairs: number } {
      let pairs = 0;
      for (const instance of live.instances.values()) pairs += instance.pairs.size;
      return { instances: live.instances.size, breakers: live.breakers.size, pairs };
    },
  };
}
