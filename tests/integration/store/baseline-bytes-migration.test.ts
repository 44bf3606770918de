import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../../server/logger';
import { createBaselineStore } from '../../../server/store/baseline-store';
import { migrate } from '../../../server/store/migrator';
import { createEmptyDatabase, MIGRATIONS_DIR, type TestDatabase } from '../../fixtures/test-database';

const BYTES_MIGRATION = '20261203120000_baseline_totals_bytes';

describe('counter baselines stored as bytes', () => {
  let database: TestDatabase;
  let folder: string;
  afterAll(async () => {
    await database?.drop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('keeps every number of baselines written before, exactly, and reads back what it writes', async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    // The migrations as they were before totals became bytes.
    folder = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await cp(MIGRATIONS_DIR, folder, { recursive: true, filter: (source) => (path.relative(MIGRATIONS_DIR, source).split(path.sep)[0] ?? '') < BYTES_MIGRATION });
    const logger = createLogger('silent');
    await migrate(database.url, folder, logger);

    const [service] = await database.query<{ id: string }>(`INSERT INTO services (name) VALUES ('checkout') RETURNING id`);
    const [instance] = await database.query<{ id: string }>(`INSERT INTO instances (service_id, name) VALUES ($1, 'host-1') RETURNING id`, [service!.id]);
    const breakerIds = ['6f1c1d5e-0000-4000-8000-000000000001', '6f1c1d5e-0000-4000-8000-000000000002'];
    const totals = [40, 9, 0, 3, 2, 1, 17, 2 ** 40 + 7, 0.5, 12, 0, 0, 0, 0, 0, 1];
    await database.query(`INSERT INTO counter_baselines (instance_id, run_id, breaker_ids, widths, totals) VALUES ($1, 'run-1', $2::uuid[], $3::int[], $4::float8[])`, [
      instance!.id,
      breakerIds,
      [8, 8],
      totals,
    ]);

    expect((await migrate(database.url, MIGRATIONS_DIR, logger)).applied).toContain(BYTES_MIGRATION);
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const store = createBaselineStore(pool);
      const [migrated] = await store.load();
      expect(migrated).toMatchObject({ instanceId: instance!.id, runId: 'run-1', breakerIds, widths: [8, 8] });
      expect([...migrated!.totals]).toEqual(totals);
      // The layout of float8send: eight big-endian bytes per number.
      const [bytes] = await database.query<{ totals: Buffer }>('SELECT totals FROM counter_baselines');
      expect(bytes!.totals.length).toBe(totals.length * 8);
      expect(bytes!.totals.readDoubleBE(7 * 8)).toBe(2 ** 40 + 7);

      const written = new Float64Array([1, 2, 3, 2 ** 53 - 1, 0.25]);
      await store.upsert([{ instanceId: instance!.id, runId: 'run-2', breakerIds: [breakerIds[0]!], widths: [5], totals: written }]);
      await store.upsert([{ instanceId: instance!.id, runId: 'run-2', breakerIds: [breakerIds[0]!], widths: [5], totals: written }]);
      expect([...written]).toEqual([1, 2, 3, 2 ** 53 - 1, 0.25]);
      const [read] = await store.load();
      expect(read).toMatchObject({ runId: 'run-2', widths: [5] });
      expect([...read!.totals]).toEqual([...written]);
    } finally {
      await pool.end();
    }
  }, 60_000);
});
