import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LATENCY_BUCKET_COUNT } from '../../../lib/protocol/latency-buckets.js';
import { OUTCOME_KINDS } from '../../../server/aggregate/outcome-kinds';
import { createBucketStore, type BucketDelta } from '../../../server/store/bucket-store';
import { inTransaction } from '../../../server/store/queryable';
import { createMigratedDatabase, type TestDatabase } from '../../fixtures/test-database';

const BREAKERS = 400;
const BUCKETS = 5;
const ROUNDS = 4;

/**
 * Two servers flush the same breakers' buckets at the same moment, each
 * with its rows in its own order (a server's order is its own map's). Both
 * transactions must commit and every count add up: no deadlock between them.
 */
describe('breaker bucket adds from two servers at once', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let breakerIds: string[];

  beforeAll(async () => {
    database = await createMigratedDatabase(inject('postgresAdminUrl'));
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    const [service] = await database.query<{ id: string }>("INSERT INTO services (name) VALUES ('svc') RETURNING id");
    const rows = await database.query<{ id: string }>('INSERT INTO breakers (service_id, name) SELECT $1, $2 || n FROM generate_series(1, $3::int) n RETURNING id', [service!.id, 'dep-', BREAKERS]);
    breakerIds = rows.map((row) => row.id);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const deltas = (start: number): BucketDelta[] =>
    breakerIds.flatMap((breakerId) =>
      Array.from({ length: BUCKETS }, (_, bucket) => {
        const counts = new Float64Array(OUTCOME_KINDS.length);
        counts[0] = 1;
        return { breakerId, bucketStart: new Date(start + bucket * 10_000), counts, histogram: new Float64Array(LATENCY_BUCKET_COUNT) };
      }),
    );

  it('commits both and adds every count, whatever order each server holds its rows in', async () => {
    const start = Date.UTC(2026, 11, 3, 12, 0, 0);
    for (let round = 0; round < ROUNDS; round += 1) {
      const rows = deltas(start);
      // One server's rows in one order, the other's reversed and interleaved: without one lock order they wait on each other.
      const other = [...rows].reverse();
      for (let i = 0; i + 1 < other.length; i += 2) [other[i], other[i + 1]] = [other[i + 1]!, other[i]!];
      await Promise.all([rows, other].map((set) => inTransaction(pool, (client) => createBucketStore(client).addToBreakerBuckets(10, set))));
    }
    const [sum] = await database.query<{ success: string; buckets: string }>('SELECT sum(success)::text AS success, count(*)::text AS buckets FROM breaker_buckets WHERE resolution_secs = 10');
    expect(Number(sum!.buckets)).toBe(BREAKERS * BUCKETS);
    expect(Number(sum!.success)).toBe(2 * ROUNDS * BREAKERS * BUCKETS);
  });
});
