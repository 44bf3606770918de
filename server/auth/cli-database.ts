import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { EMBEDDED_CREDENTIALS, startEmbeddedPostgres } from '../store/embedded-postgres';
import { migrate } from '../store/migrator';
import { EMBEDDED_DATABASE } from '../store/open-database';

export interface CliDatabase {
  url: string;
  /** How it was reached, for the one line the tool prints to stderr. */
  via: 'DATABASE_URL' | 'running embedded Postgres' | 'embedded Postgres started for this command';
  close(): Promise<void>;
}

/** The port of a running cluster from its postmaster.pid (line 1 the pid, line 4 the port), or null when none runs. */
async function runningClusterPort(dataDir: string): Promise<number | null> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but another user's (the cluster runs as `postgres` when we are root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return Number.isInteger(port) && port > 0 ? port : null;
}

/**
 * The database a command-line tool works on, whether or not a server runs:
 * DATABASE_URL when set; else the embedded cluster of PG_DATA_DIR, joined if a
 * server already runs it, or started for the command and stopped after.
 */
export async function openCliDatabase(config: Config, logger: Logger): Promise<CliDatabase> {
  const migrationsDir = path.join(config.rootDir, 'prisma', 'migrations');
  if (config.databaseUrl) {
    await migrate(config.databaseUrl, migrationsDir, logger);
    return { url: config.databaseUrl, via: 'DATABASE_URL', close: async () => {} };
  }
  const { dataDir } = config.embeddedPostgres;
  const port = await runningClusterPort(dataDir);
  if (port) {
    const url = `postgresql://${EMBEDDED_CREDENTIALS.user}:${EMBEDDED_CREDENTIALS.password}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
    return { url, via: 'running embedded Postgres', close: async () => {} };
  }
  const cluster = await startEmbeddedPostgres({ ...config.embeddedPostgres, logger });
  try {
    await cluster.createDatabase(EMBEDDED_DATABASE);
    const url = cluster.urlFor(EMBEDDED_DATABASE);
    await migrate(url, migrationsDir, logger);
    return { url, via: 'embedded Postgres started for this command', close: () => cluster.stop() };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
