import type pg from 'pg';
import type { Aggregate } from '../aggregate/aggregate';
import type { PendingBatch } from '../aggregate/pending-writes';
import type { Logger } from '../logger';
import { BASELINE_ROWS_PER_STATEMENT, createBaselineStore } from '../store/baseline-store';
import { createBucketStore, pickRows } from '../store/bucket-store';
import { createCatalogStore } from '../store/catalog-store';
import { inTransaction } from '../store/queryable';
import { createStateStore, type PairStateRow } from '../store/state-store';
import { CountedThroughRows } from './counted-through';
import { isRefusedData, writeIsolatingRefused, type RefusedRow } from './refused-rows';

export const BASE_RESOLUTION_SECS = 10;

const MAX_LOGGED_ROWS = 100;

/** The tables a flush writes, as the dropped-rows metric labels them. */
export type FlushTable = 'breaker_buckets' | 'instance_buckets' | 'instances' | 'breaker_instance_states' | 'counter_baselines';

/** Told of rows a flush left out because the database refused them. */
export type OnRowsDropped = (table: FlushTable, rows: number) => void;

/** One table's rows of a batch: how many, how to write some of them (by index), and what to log of one. */
interface BatchPart {
  table: FlushTable;
  length: number;
  write(client: pg.PoolClient, indices: readonly number[]): Promise<void>;
  describe(index: number): Record<string, unknown>;
}

const everyIndex = (length: number): number[] => Array.from({ length }, (_, index) => index);
const pick = <T>(items: readonly T[], indices: readonly number[]): T[] => indices.map((index) => items[index]!);

function batchParts(batch: PendingBatch, stateRows: PairStateRow[], baselines: CountedThroughRows): BatchPart[] {
  const { breakerBuckets, instanceBuckets, seen } = batch;
  return [
    {
      table: 'breaker_buckets',
      length: breakerBuckets.length,
      write: (client, indices) => createBucketStore(client).addToBreakerBuckets(BASE_RESOLUTION_SECS, pickRows(breakerBuckets, indices)),
      describe: (row) => ({ breakerId: breakerBuckets.breakerId(row), bucketStart: breakerBuckets.bucketStart(row) }),
    },
    {
      table: 'instance_buckets',
      length: instanceBuckets.length,
      write: (client, indices) => createBucketStore(client).addToInstanceBuckets(pickRows(instanceBuckets, indices)),
      describe: (row) => ({ breakerId: instanceBuckets.breakerId(row), instanceId: instanceBuckets.instanceId(row), bucketStart: instanceBuckets.bucketStart(row) }),
    },
    {
      table: 'instances',
      length: seen.length,
      write: (client, indices) => createCatalogStore(client).touchInstances(pick(seen, indices)),
      describe: (row) => ({ instanceId: seen[row]!.id }),
    },
    {
      table: 'breaker_instance_states',
      length: stateRows.length,
      write: (client, indices) => createStateStore(client).upsert(pick(stateRows, indices)),
      describe: (row) => ({ breakerId: stateRows[row]!.breakerId, instanceId: stateRows[row]!.instanceId }),
    },
    {
      table: 'counter_baselines',
      length: baselines.instanceIds.length,
      // Built a statement at a time: all at once they were tens of megabytes, alive until the flush ended.
      write: async (client, indices) => {
        for (let start = 0; start < indices.length; start += BASELINE_ROWS_PER_STATEMENT)
          await createBaselineStore(client).upsert(baselines.rows(indices.slice(start, start + BASELINE_ROWS_PER_STATEMENT)));
      },
      describe: (row) => ({ instanceId: baselines.instanceIds[row] }),
    },
  ];
}

/**
 * Writes what the aggregate owes the database on each `flush()` (the caller
 * calls it every flush interval): the counter deltas of 10 s buckets that
 * have closed (per breaker and per instance), instance liveness and changed
 * states, in one transaction of a few multi-row statements, never a row per
 * report. With the buckets go the counted-through totals of each instance
 * that counted in them, so a server restarted after a crash counts on from
 * exactly what is stored (counter_baselines). `flushAll()` also writes the
 * open bucket (at shutdown, in tests); until then the read API takes it from
 * the aggregate.
 *
 * A flush the database cannot take now (it is away, it shuts down) is rolled
 * back whole and given back to the aggregate, so it is retried without
 * counting anything twice. A flush it refuses for the data of some rows is
 * written again with those rows isolated (refused-rows.ts): the rest is
 * stored, the refused rows are dropped, logged once and counted
 * (`onRowsDropped`), and never retried, so one breaker's or one service's bad
 * row never holds back anyone else's counters.
 */
export function createAggregateFlusher({ aggregate, pool, logger, now, onRowsDropped }: { aggregate: Aggregate; pool: pg.Pool; logger: Logger; now: () => number; onRowsDropped?: OnRowsDropped }) {
  let running: Promise<void> = Promise.resolve();

  async function flushOnce(all: boolean): Promise<void> {
    const at = now();
    const batch = aggregate.pending.take(all ? Infinity : aggregate.pending.bucketOf(at));
    const stateRows: PairStateRow[] = [];
    for (const { instanceId, breakerId } of batch.states) {
      const pair = aggregate.breakers.get(breakerId)?.pairs.get(instanceId);
      if (pair?.state && pair.stateSince !== null)
        stateRows.push({ breakerId, instanceId, state: pair.state, wouldBe: pair.wouldBe, stateSince: pair.stateSince, config: pair.config, window: pair.window });
    }
    // The instances that counted something in the buckets handed over: their counted-through totals go with them.
    const counting = new Set<string>();
    for (let row = 0; row < batch.instanceBuckets.length; row++) counting.add(batch.instanceBuckets.instanceId(row));
    const baselines = new CountedThroughRows(aggregate, counting);
    try {
      await writeBatch(batch, batchParts(batch, stateRows, baselines));
    } finally {
      baselines.close();
    }
  }

  async function writeBatch(batch: PendingBatch, parts: BatchPart[]): Promise<void> {
    if (parts.every((part) => part.length === 0)) return aggregate.pending.release(batch);
    let refused: Array<{ part: BatchPart; rows: RefusedRow[] }> = [];
    try {
      try {
        await inTransaction(pool, async (client) => {
          for (const part of parts) if (part.length > 0) await part.write(client, everyIndex(part.length));
        });
      } catch (error) {
        if (!isRefusedData(error)) throw error;
        refused = await inTransaction(pool, async (client) => {
          const found: typeof refused = [];
          for (const part of parts) found.push({ part, rows: await writeIsolatingRefused(client, everyIndex(part.length), (indices) => part.write(client, indices)) });
          return found;
        });
      }
    } catch (error) {
      aggregate.pending.giveBack(batch);
      logger.warn({ err: error, pending: aggregate.pending.size }, 'flushing the aggregate failed; will retry');
      return;
    }
    // Released before anything else can throw: the batch is in the database, and must never be given back to be written twice.
    aggregate.pending.release(batch);
    reportDropped(refused);
  }

  function reportDropped(refused: Array<{ part: BatchPart; rows: RefusedRow[] }>): void {
    const dropped = refused.filter(({ rows }) => rows.length > 0);
    if (dropped.length === 0) return;
    const rows = dropped.flatMap(({ part, rows: partRows }) => partRows.map(({ index, reason }) => ({ table: part.table, ...part.describe(index), reason })));
    // The first rows say what and why; a flush whose every row is refused must not write a log line of megabytes.
    logger.error({ dropped: rows.slice(0, MAX_LOGGED_ROWS), droppedCount: rows.length }, `the database refused ${rows.length} row(s) of a flush; they are dropped, the rest of the flush is stored`);
    for (const { part, rows: partRows } of dropped) onRowsDropped?.(part.table, partRows.length);
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
