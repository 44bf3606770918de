import type pg from 'pg';
import { inTransaction } from './queryable';

/** A range-partitioned table whose partitions the retention job creates ahead and drops whole. */
export interface PartitionedTable {
  parent: string;
  defaultPartition: string;
  /** The length of one partition. */
  spanMs: number;
  /** Suffix of a partition's name from its start, e.g. `20261123` or `2026112309`. */
  suffix(start: Date): string;
}

const pad = (value: number) => String(value).padStart(2, '0');
const day = (date: Date) => `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;

export const BREAKER_BUCKETS_10S: PartitionedTable = {
  parent: 'breaker_buckets_10s',
  defaultPartition: 'breaker_buckets_10s_default',
  spanMs: 24 * 3600_000,
  suffix: day,
};

export const INSTANCE_BUCKETS: PartitionedTable = {
  parent: 'instance_buckets',
  defaultPartition: 'instance_buckets_default',
  spanMs: 3600_000,
  suffix: (start) => `${day(start)}${pad(start.getUTCHours())}`,
};

const partitionName = (table: PartitionedTable, start: Date) => `${table.parent}_p${table.suffix(start)}`;

/**
 * Creates the partition holding `start` unless it exists. Rows that landed in
 * the default partition for that range are moved into it in the same
 * transaction, so attaching never fails on them.
 */
export async function ensurePartition(pool: pg.Pool, table: PartitionedTable, at: number): Promise<boolean> {
  const start = new Date(at - (at % table.spanMs));
  const end = new Date(start.getTime() + table.spanMs);
  const name = partitionName(table, start);
  const exists = await pool.query('SELECT 1 FROM pg_class WHERE relname = $1', [name]);
  if (exists.rowCount) return false;
  await inTransaction(pool, async (client) => {
    await client.query(`CREATE TABLE "${name}" (LIKE "${table.parent}" INCLUDING DEFAULTS)`);
    await client.query(
      `WITH moved AS (DELETE FROM "${table.defaultPartition}" WHERE bucket_start >= $1 AND bucket_start < $2 RETURNING *)
       INSERT INTO "${name}" SELECT * FROM moved`,
      [start, end],
    );
    await client.query(`ALTER TABLE "${table.parent}" ATTACH PARTITION "${name}" FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`);
  });
  return true;
}

/** Drops every partition that ends at or before `before`, and deletes older rows left in the default partition. */
export async function dropPartitionsBefore(pool: pg.Pool, table: PartitionedTable, before: Date): Promise<string[]> {
  const partitions = await pool.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 AND c.relname <> $2`,
    [table.parent, table.defaultPartition],
  );
  const dropped: string[] = [];
  for (const { name, bound } of partitions.rows) {
    const upper = /TO \('([^']+)'\)/.exec(bound)?.[1];
    if (upper && new Date(upper) <= before) {
      await pool.query(`DROP TABLE "${name}"`);
      dropped.push(name);
    }
  }
  await pool.query(`DELETE FROM "${table.defaultPartition}" WHERE bucket_start < $1`, [before]);
  return dropped;
}
