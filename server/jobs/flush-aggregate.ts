import type pg from 'pg';
import type { Aggregate } from '../aggregate/aggregate';
import type { Logger } from '../logger';
import { createBaselineStore, type CounterBaselineRow } from '../store/baseline-store';
import { createBucketStore } from '../store/bucket-store';
import { createCatalogStore } from '../store/catalog-store';
import { inTransaction } from '../store/queryable';
import { createStateStore, type PairStateRow } from '../store/state-store';

export const BASE_RESOLUTION_SECS = 10;

/**
 * Writes what the aggregate owes the database on each `flush()` (the caller
 * calls it every flush interval): the counter deltas of 10 s buckets that
 * have closed (per breaker and per instance), instance liveness and changed
 * states, in one transaction of a few multi-row statements, never a row per
 * report. With the buckets go the counted-through totals of each instance
 * that counted in them, so a server restarted after a crash counts on from
 * exactly what is stored (counter_baselines). `flushAll()` also writes the open bucket (at shutdown, in tests);
 * until then the read API takes it from the aggregate. A failed flush is
 * rolled back whole and given back to the aggregate, so it is retried
 * without counting anything twice.
 */
export function createAggregateFlusher({ aggregate, pool, logger, now }: { aggregate: Aggregate; pool: pg.Pool; logger: Logger; now: () => number }) {
  let running: Promise<void> = Promise.resolve();

  async function flushOnce(all: boolean): Promise<void> {
    const at = now();
    const batch = aggregate.takePending(all ? Infinity : aggregate.pending.bucketOf(at));
    const stateRows: PairStateRow[] = [];
    for (const { instanceId, breakerId } of batch.states) {
      const pair = aggregate.pairState(instanceId, breakerId);
      if (pair?.state && pair.stateSince !== null) stateRows.push({ breakerId, instanceId, state: pair.state, wouldBe: pair.wouldBe, stateSince: pair.stateSince, config: pair.config, window: pair.window });
    }
    // The instances that counted something in the buckets handed over: their counted-through totals go with them.
    const counting = new Set<string>();
    for (let row = 0; row < batch.instanceBuckets.length; row++) counting.add(batch.instanceBuckets.instanceId(row));
    const baselines: CounterBaselineRow[] = [];
    for (const instanceId of counting) {
      const counted = aggregate.countedThrough(instanceId);
      if (counted) baselines.push({ instanceId, ...counted });
    }
    if (batch.breakerBuckets.length + batch.instanceBuckets.length + batch.seen.length + stateRows.length === 0) return aggregate.pending.release(batch);
    try {
      await inTransaction(pool, async (client) => {
        const buckets = createBucketStore(client);
        await buckets.addToBreakerBuckets(BASE_RESOLUTION_SECS, batch.breakerBuckets);
        await buckets.addToInstanceBuckets(batch.instanceBuckets);
        await createCatalogStore(client).touchInstances(batch.seen);
        await createStateStore(client).upsert(stateRows);
        await createBaselineStore(client).upsert(baselines);
      });
      aggregate.pending.release(batch);
    } catch (error) {
      aggregate.pending.giveBack(batch);
      logger.warn({ err: error, pending: aggregate.pending.size }, 'flushing the aggregate failed; will retry');
    }
  }

  // Flushes never overlap: each waits for the one before it.
  const flush = (all: boolean) => (running = running.then(() => flushOnce(all)));

  return {
    flush: () => flush(false),
    flushAll: () => flush(true),
    /** Writes everything still pending, after the previous flushes. */
    stop: () => flush(true),
  };
}
