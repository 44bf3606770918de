import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedPostgres } from '../store/embedded-postgres';
import { readClusterSecret, secretFileOf } from '../store/embedded/cluster-secret';
import { readPostmasterFile } from '../store/embedded/postmaster-file';
import { pidAlive } from '../store/embedded/process-liveness';
import { migrate } from '../store/migrator';
import { EMBEDDED_DATABASE } from '../store/open-database';

export interface CliDatabase {
  url: string;
  /** How it was reached, for the one line the tool prints to stderr. */
  via: 'DATABASE_URL' | 'running embedded Postgres' | 'embedded Postgres started for this command';
  close(): Promise<void>;
}

/** The port of a running cluster from its postmaster.pid, or null when none runs. */
async function runningClusterPort(dataDir: string): Promise<number | null> {
  const file = await readPostmasterFile(dataDir);
  return file && pidAlive(file.pid) && file.port > 0 ? file.port : null;
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
    // The running cluster's password is the data folder's secret, readable by the account that runs the panel only.
    const secret = await readClusterSecret(dataDir).catch(() => null);
    if (!secret) throw new Error(`The embedded Postgres in ${dataDir} runs, but ${secretFileOf(dataDir)} is missing or unreadable: run this as the account that runs the panel`);
    const url = `postgresql://postgres:${encodeURIComponent(secret)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
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
