import { reportApplier } from './apply-report';
import { LiveEntries, type AggregateOptions, type BreakerState, type InstanceState } from './live-entries';
import { checkLiveness } from './live-states';
import { registration } from './registration';
import { views } from './views';

export type Aggregate = ReturnType<typeof createAggregate>;

/** The live state in memory, without I/O; each concern in the file of its name: entries, registration, reports applied, pair counters, pending writes, live states, dirty breakers, views. */
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
    stats: () => ({ instances: live.instances.size, breakers: live.breakers.size, pairs: [...live.instances.values()].reduce((sum, instance) => sum + instance.pairs.size, 0) }),
  };
}
