import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../../server/logger';
import { createBaselineStore } from '../../../server/store/baseline-store';
import { migrate } from '../../../server/store/migrator';
import { createEmptyDatabase, MIGRATIONS_DIR, type TestDatabase } from '../../fixtures/test-database';

const BREAKER = '6f1c1d5e-0000-4000-8000-000000000001';
const row = (instanceId: string, runId: string, totals: number[]) => ({ instanceId, runId, breakerIds: [BREAKER], widths: [totals.length], totals: new Float64Array(totals) });

/** Which run an instance's counted-through totals belong to, when runs change. */
describe('counter baselines across runs', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let instanceId: string;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    await migrate(database.url, MIGRATIONS_DIR, createLogger('silent'));
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  beforeEach(async () => {
    await database.query('DELETE FROM counter_baselines');
    await database.query('DELETE FROM instances');
    await database.query('DELETE FROM services');
    const [service] = await database.query<{ id: string }>(`INSERT INTO services (name) VALUES ('checkout') RETURNING id`);
    instanceId = (await database.query<{ id: string }>(`INSERT INTO instances (service_id, name) VALUES ($1, 'host-1') RETURNING id`, [service!.id]))[0]!.id;
  });

  it("with several servers, keeps a started run when the previous run's last counts are written after it", async () => {
    const store = createBaselineStore(pool);
    expect(await store.startOrJoin(instanceId, 'run-1', [BREAKER], 'server-a')).toBeNull();
    await store.upsert([row(instanceId, 'run-1', [5, 1])]);
    // The reporter restarted and registered with server b; server a writes what it still held of run 1.
    expect(await store.startOrJoin(instanceId, 'run-2', [BREAKER], 'server-b')).toBeNull();
    await store.upsert([row(instanceId, 'run-1', [7, 1])]);
    const [kept] = await store.load(instanceId);
    expect(kept).toMatchObject({ runId: 'run-2' });
    expect([...kept!.totals]).toEqual([]);

    await store.upsert([row(instanceId, 'run-2', [3, 0])]);
    const [written] = await store.load(instanceId);
    expect(written).toMatchObject({ runId: 'run-2' });
    expect([...written!.totals]).toEqual([3, 0]);
    // A server that joins the run is answered what was counted, and changes nothing.
    expect(await store.startOrJoin(instanceId, 'run-2', [BREAKER], 'server-a')).toMatchObject({ runId: 'run-2', widths: [2] });
    expect((await database.query<{ counted_by: string }>('SELECT counted_by FROM counter_baselines'))[0]!.counted_by).toBe('server-b');
  });

  it('with one server, a run that reports without registering replaces the previous run', async () => {
    const store = createBaselineStore(pool);
    expect(await store.startOrJoin(instanceId, 'run-1', [BREAKER])).toBeNull();
    await store.upsert([row(instanceId, 'run-1', [5, 1])]);
    await store.upsert([row(instanceId, 'run-2', [2, 0])]);
    const [replaced] = await store.load(instanceId);
    expect(replaced).toMatchObject({ runId: 'run-2' });
    expect([...replaced!.totals]).toEqual([2, 0]);
  });
});
