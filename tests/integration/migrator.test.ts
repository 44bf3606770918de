import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { migrate, MigrationError } from '../../server/store/migrator';
import { readMigrations } from '../../server/store/migrations-on-disk';
import { startTestPanel } from '../fixtures/panel';
import { createEmptyDatabase, MIGRATIONS_DIR, type TestDatabase } from '../fixtures/test-database';

const logger = createLogger('silent');
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createEmptyDatabase(inject('postgresAdminUrl'));
  cleanup.push(() => database.drop());
  return database;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('migrator', () => {
  it('applies every migration once and records it the way Prisma Migrate does', async () => {
    const database = await emptyDatabase();
    const onDisk = await readMigrations(MIGRATIONS_DIR);
    expect(onDisk.length).toBeGreaterThan(0);

    const first = await migrate(database.url, MIGRATIONS_DIR, logger);
    expect(first.applied).toEqual(onDisk.map((migration) => migration.name));
    const second = await migrate(database.url, MIGRATIONS_DIR, logger);
    expect(second).toEqual({ applied: [], total: onDisk.length });

    const rows = await database.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    const expected = await Promise.all(
      onDisk.map(async (migration) => ({
        migration_name: migration.name,
        checksum: createHash('sha256')
          .update(await readFile(path.join(MIGRATIONS_DIR, migration.name, 'migration.sql')))
          .digest('hex'),
        applied_steps_count: 1,
        rolled_back_at: null,
      })),
    );
    expect(rows.map(({ finished_at: _finished, ...row }) => row)).toEqual(expected);
    expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);
  });

  it('applies the migrations exactly once when two servers start at the same moment on an empty database', async () => {
    const database = await emptyDatabase();
    const panels = await Promise.all([startTestPanel({ DATABASE_URL: database.url }), startTestPanel({ DATABASE_URL: database.url })]);
    cleanup.push(async () => {
      await Promise.all(panels.map((panel) => panel.stop()));
    });
    const onDisk = await readMigrations(MIGRATIONS_DIR);
    const rows = await database.query<{ migration_name: string; count: number }>('SELECT migration_name, count(*)::int AS count FROM _prisma_migrations GROUP BY 1 ORDER BY 1');
    expect(rows).toEqual(onDisk.map((migration) => ({ migration_name: migration.name, count: 1 })));
    expect(panels.map((panel) => panel.database.migrations)).toEqual([onDisk.length, onDisk.length]);
  });

  it('refuses to start when an applied migration was changed afterwards', async () => {
    const database = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate(database.url, dir, logger);
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited afterwards\n`);

    await expect(migrate(database.url, dir, logger)).rejects.toThrow(MigrationError);
    await expect(migrate(database.url, dir, logger)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls back a failing migration whole and records nothing', async () => {
    const database = await emptyDatabase();
    const dir = await copyOfMigrations();
    const broken = path.join(dir, '29991231000000_broken');
    await mkdir(broken);
    await writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n');

    await expect(migrate(database.url, dir, logger)).rejects.toThrow(/29991231000000_broken failed and was rolled back/);
    const tables = await database.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
    expect(tables).toEqual([]);
    const recorded = await database.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations');
    expect(recorded.map((row) => row.migration_name)).not.toContain('29991231000000_broken');
    expect(recorded.length).toBe((await readMigrations(MIGRATIONS_DIR)).length);
  });
});
