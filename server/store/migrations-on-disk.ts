import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface MigrationFile {
  /** The folder name, `<timestamp>_<name>`, as Prisma Migrate records it. */
  name: string;
  sql: string;
  /** sha256 of the file in hex: the checksum Prisma Migrate stores. */
  checksum: string;
}

const MIGRATION_FOLDER = /^\d{14}_[a-z0-9_]+$/;

/** The migrations under `prisma/migrations`, oldest first. */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory() && MIGRATION_FOLDER.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    folders.map(async (name) => {
      const sql = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}
