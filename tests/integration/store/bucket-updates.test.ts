import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countRow, HISTOGRAM_OFFSET } from '../../../server/aggregate/counter-deltas';
import { createBucketStore, type BucketDelta } from '../../../server/store/bucket-store';
import { BREAKER_BUCKETS_10S, ensurePartition } from '../../../server/store/partitions';
import { createMigratedDatabase, type TestDatabase } from '../../fixtures/test-database';

const BREAKERS = 500;
const FLUSHES = 5;

describe('service-wide 10 s buckets', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  // One connection for the writes and the statistics: its counts are flushed on demand below.
  let client: pg.PoolClient;

  beforeAll(async () => {
    database = await createMigratedDatabase(inject('postgresAdminUrl'));
    pool = new pg.Pool({ connectionString: database.url });
    await ensurePartition(pool, BREAKER_BUCKETS_10S, Date.now());
    client = await pool.connect();
  });
  afterAll(async () => {
    client?.release();
    await pool?.end();
    await database?.drop();
  });

  it('are updated in place on every flush of the open bucket (HOT updates: no new index entries)', async () => {
    const bucketStart = new Date(Date.now() - (Date.now() % 10_000));
    const breakerIds = (await client.query<{ id: string }>(`SELECT gen_random_uuid() AS id FROM generate_series(1, ${BREAKERS})`)).rows.map((row) => row.id);
    const delta = (breakerId: string): BucketDelta => {
      const row = countRow();
      row[0] = 3;
      return { breakerId, bucketStart, counts: row.subarray(0, HISTOGRAM_OFFSET), histogram: Float64Array.from({ length: 24 }, (_, i) => i) };
    };
    const store = createBucketStore(client);
    for (let flush = 0; flush < FLUSHES; flush++) await store.addToBreakerBuckets(10, breakerIds.map(delta));

    // This connection's counts reach the statistics once flushed; force it rather than wait for it.
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1');
    const [stats] = (
      await client.query<{ updated: string; hot: string; success: string }>(
        `SELECT n_tup_upd AS updated, n_tup_hot_upd AS hot, (SELECT sum(success) FROM breaker_buckets) AS success
         FROM pg_stat_user_tables WHERE relname LIKE 'breaker_buckets_10s_p%'`,
      )
    ).rows;
    expect(Number(stats!.success)).toBe(BREAKERS * FLUSHES * 3);
    expect(Number(stats!.updated)).toBe(BREAKERS * (FLUSHES - 1));
    // Pages keep room for the updated versions; without it (fillfactor 100) nearly none of these are HOT.
    expect(Number(stats!.hot) / Number(stats!.updated)).toBeGreaterThan(0.9);
  });
});
