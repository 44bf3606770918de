import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger';
import { readMigrations, type MigrationFile } from './migrations-on-disk';

// The lock key Prisma Migrate itself takes, so that our migrator and
// `prisma migrate deploy` also exclude each other.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Prisma Migrate's own bookkeeping table, column for column.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationResult {
  applied: string[];
  /** Every migration now recorded as applied. */
  total: number;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

function checkApplied(local: MigrationFile[], applied: Map<string, AppliedRow>): void {
  for (const migration of local) {
    const row = applied.get(migration.name);
    if (!row) continue;
    if (row.finished_at === null) {
      throw new MigrationError(`Migration ${migration.name} started earlier but did not finish; resolve it by hand before starting the server.`);
    }
    if (row.checksum !== migration.checksum) {
      throw new MigrationError(
        `Migration ${migration.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${migration.checksum.slice(0, 12)}… on disk). Restore the file and add a new migration instead.`,
      );
    }
  }
}

/**
 * Applies the pending migrations in order, each once and in its own
 * transaction, under an advisory lock so that servers starting together
 * against one database do not race.
 */
export async function migrate(databaseUrl: string, migrationsDir: string, logger: Logger): Promise<MigrationResult> {
  const local = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const rows = await client.query<AppliedRow>('SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL');
      const applied = new Map(rows.rows.map((row) => [row.migration_name, row]));
      checkApplied(local, applied);
      const pending = local.filter((migration) => !applied.has(migration.name));
      for (const migration of pending) {
        await applyOne(client, migration);
        logger.info({ migration: migration.name }, 'applied migration');
      }
      return { applied: pending.map((migration) => migration.name), total: applied.size + pending.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [id, migration.checksum, migration.name]);
    await client.query(migration.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`);
  }
}
