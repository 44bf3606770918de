import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEpisodeCatchUpJob } from '../../../server/jobs/episode-catch-up-job';
import { createLogger } from '../../../server/logger';
import { createMigratedDatabase, type TestDatabase } from '../../fixtures/test-database';

describe('trip episode catch-up in the background', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createMigratedDatabase(inject('postgresAdminUrl'));
    pool = new pg.Pool({ connectionString: database.url });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('stores the complete episodes of transitions nobody has asked about yet, and not an open one', async () => {
    const [service] = await database.query<{ id: string }>("INSERT INTO services (name) VALUES ('checkout') RETURNING id");
    const [breaker] = await database.query<{ id: string }>("INSERT INTO breakers (service_id, name) VALUES ($1, 'payments-api') RETURNING id", [service!.id]);
    const [instance] = await database.query<{ id: string }>("INSERT INTO instances (service_id, name) VALUES ($1, 'web-1') RETURNING id", [service!.id]);
    const start = Date.now() - 3_600_000;
    // One trip of 45 s that recovered, then one still open.
    const rows: Array<[string, string, number]> = [
      ['CLOSED', 'OPEN', start],
      ['OPEN', 'HALF_OPEN', start + 30_000],
      ['HALF_OPEN', 'CLOSED', start + 45_000],
      ['CLOSED', 'OPEN', start + 600_000],
    ];
    for (const [index, [from, to, at]] of rows.entries()) {
      await database.query(
        `INSERT INTO transitions (service_id, breaker_id, instance_id, run_id, sequence, from_state, to_state, cause, at)
         VALUES ($1, $2, $3, 'run-1', $4, $5, $6, $7, to_timestamp($8 / 1000.0))`,
        [service!.id, breaker!.id, instance!.id, index + 1, from, to, to === 'OPEN' ? 'failure_rate' : to === 'HALF_OPEN' ? 'open_timeout_elapsed' : 'trials_succeeded', at],
      );
    }

    const job = startEpisodeCatchUpJob({ pool, logger: createLogger('silent'), intervalMs: 60_000 });
    await job.first;
    await job.stop();

    const episodes = await database.query<{ start_at: Date; duration_ms: string; instance_ids: string[] }>(
      'SELECT start_at, duration_ms::text, instance_ids FROM trip_episodes WHERE breaker_id = $1',
      [breaker!.id],
    );
    expect(episodes).toEqual([{ start_at: new Date(start), duration_ms: '45000', instance_ids: [instance!.id] }]);
  });
});
