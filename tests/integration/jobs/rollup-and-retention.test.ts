import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LATENCY_BUCKET_COUNT } from '../../../lib/protocol/latency-buckets.js';
import { OUTCOME_KINDS } from '../../../server/aggregate/outcome-kinds';
import { runRollupAndRetention, type RetentionConfig } from '../../../server/jobs/rollup-and-retention';
import { createBucketStore } from '../../../server/store/bucket-store';
import { createMigratedDatabase, type TestDatabase } from '../../fixtures/test-database';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retention: RetentionConfig = { tenSecondMs: 48 * HOUR, oneMinuteMs: 30 * DAY, oneHourMs: 400 * DAY, instanceBucketMs: HOUR };

function delta(breakerId: string, at: number, success: number, failure: number, histogram: number[]) {
  const counts = { counts: new Float64Array(OUTCOME_KINDS.length), histogram: new Float64Array(LATENCY_BUCKET_COUNT) };
  counts.counts[0] = success;
  counts.counts[1] = failure;
  histogram.forEach((value, index) => (counts.histogram[index] = value));
  return { breakerId, bucketStart: new Date(at), ...counts };
}

describe('rollups and retention', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let breakerId: string;

  beforeAll(async () => {
    database = await createMigratedDatabase(inject('postgresAdminUrl'));
    pool = new pg.Pool({ connectionString: database.url });
    const [service] = await database.query<{ id: string }>("INSERT INTO services (name) VALUES ('svc') RETURNING id");
    const [breaker] = await database.query<{ id: string }>("INSERT INTO breakers (service_id, name) VALUES ($1, 'dep') RETURNING id", [service!.id]);
    breakerId = breaker!.id;
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const sums = async (resolution: number) =>
    (
      await database.query<{ success: string; failure: string; buckets: number; histogram: string[] | null }>(
        `SELECT sum(success)::text AS success, sum(failure)::text AS failure, count(*)::int AS buckets,
              (SELECT array_agg(s::text ORDER BY i) FROM (SELECT i, sum(v) s FROM breaker_buckets, unnest(latency_histogram) WITH ORDINALITY u(v, i)
                WHERE resolution_secs = $1 GROUP BY i) x) AS histogram
       FROM breaker_buckets WHERE resolution_secs = $1`,
        [resolution],
      )
    )[0];

  it('rolls 10 s buckets into minutes and minutes into hours with every sum preserved, and re-running changes nothing', async () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 30);
    const store = createBucketStore(pool);
    // Two hours of 10 s buckets before now, some with histograms of different lengths.
    const deltas = [];
    for (let at = now - 2 * HOUR - 30_000; at < now - 30_000; at += 10_000) deltas.push(delta(breakerId, at, 3, 1, at % 20_000 === 0 ? [1, 2] : [0, 1, 1, 4]));
    await store.addToBreakerBuckets(10, deltas);

    // The job re-rolls only the recent past; roll every minute and hour of the range as successive runs would.
    for (let at = now - 2 * HOUR + 60_000; at <= now + HOUR; at += 15 * 60_000) await runRollupAndRetention(pool, at, retention);
    const fine = await sums(10);
    const minutes = await sums(60);
    const hours = await sums(3600);
    expect(fine).toMatchObject({ success: String(deltas.length * 3), failure: String(deltas.length) });
    expect(minutes).toMatchObject({ success: fine!.success, failure: fine!.failure, histogram: fine!.histogram, buckets: 120 });
    expect(hours).toMatchObject({ success: fine!.success, failure: fine!.failure, histogram: fine!.histogram, buckets: 2 });

    await runRollupAndRetention(pool, now + HOUR, retention);
    expect(await sums(60)).toEqual(minutes);
    expect(await sums(3600)).toEqual(hours);
  });

  it('deletes only what is past each retention, dropping whole day partitions of 10 s buckets', async () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    const store = createBucketStore(pool);
    await store.addToBreakerBuckets(10, [delta(breakerId, now - 49 * HOUR, 1, 0, []), delta(breakerId, now - 47 * HOUR, 1, 0, [])]);
    await store.addToBreakerBuckets(60, [delta(breakerId, now - 31 * DAY, 1, 0, []), delta(breakerId, now - 29 * DAY, 1, 0, [])]);
    await store.addToBreakerBuckets(3600, [delta(breakerId, now - 401 * DAY, 1, 0, []), delta(breakerId, now - 399 * DAY, 1, 0, [])]);
    const partitionsBefore = await database.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relname LIKE 'breaker_buckets_10s_p%' ORDER BY relname");

    // Per-instance buckets (kept an hour, in hourly partitions): one from two hours ago, one from half an hour ago.
    const instanceIds = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    await store.addToInstanceBuckets([now - 2 * HOUR, now - HOUR / 2].flatMap((at) => instanceIds.map((instanceId) => ({ ...delta(breakerId, at, 1, 0, [1]), instanceId }))));

    const run = await runRollupAndRetention(pool, now, retention);
    expect(run.ran).toBe(true);
    const instanceRows = await database.query<{ bucket_start: Date; instance_ids: string[]; success: string[] }>('SELECT bucket_start, instance_ids, success::text[] FROM instance_buckets');
    expect(instanceRows).toEqual([{ bucket_start: new Date(now - HOUR / 2), instance_ids: instanceIds, success: ['1', '1'] }]);
    const remaining = await database.query<{ resolution_secs: number; bucket_start: Date }>('SELECT resolution_secs, bucket_start FROM breaker_buckets ORDER BY resolution_secs, bucket_start');
    const oldest = (resolution: number) => Math.min(...remaining.filter((row) => row.resolution_secs === resolution).map((row) => row.bucket_start.getTime()));
    expect(oldest(10)).toBe(now - 47 * HOUR);
    expect(oldest(60)).toBeGreaterThanOrEqual(now - 30 * DAY);
    expect(oldest(3600)).toBe(now - 399 * DAY);
    expect(remaining.some((row) => row.resolution_secs === 60 && row.bucket_start.getTime() === now - 29 * DAY)).toBe(true);

    const partitionsAfter = await database.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relname LIKE 'breaker_buckets_10s_p%' ORDER BY relname");
    expect(partitionsBefore.map((row) => row.relname)).toContain('breaker_buckets_10s_p20261123');
    expect(partitionsAfter.map((row) => row.relname)).not.toContain('breaker_buckets_10s_p20261123');
    expect(partitionsAfter.map((row) => row.relname)).toEqual(expect.arrayContaining(['breaker_buckets_10s_p20261124', 'breaker_buckets_10s_p20261126', 'breaker_buckets_10s_p20261127']));
  });
});
