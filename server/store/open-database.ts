import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedPostgres } from './embedded-postgres';
import { migrate } from './migrator';

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  migrations: number;
  close(): Promise<void>;
}

export const EMBEDDED_DATABASE = 'breaker_panel';

/**
 * Uses DATABASE_URL when set; otherwise starts the embedded Postgres in the
 * data folder. Either way the migrations are applied before anything else runs.
 * `onUnrecoverable` hears of an embedded Postgres that died and could not be
 * started again.
 */
export async function openDatabase(config: Config, logger: Logger, onUnrecoverable?: (error: Error) => void): Promise<OpenDatabase> {
  const migrationsDir = path.join(config.rootDir, 'prisma', 'migrations');
  if (config.databaseUrl) {
    const result = await migrate(config.databaseUrl, migrationsDir, logger);
    return { url: config.databaseUrl, embedded: false, migrations: result.total, close: async () => {} };
  }
  const cluster = await startEmbeddedPostgres({ ...config.embeddedPostgres, logger, onUnrecoverable });
  try {
    await cluster.createDatabase(EMBEDDED_DATABASE);
    const url = cluster.urlFor(EMBEDDED_DATABASE);
    const result = await migrate(url, migrationsDir, logger);
    logger.info({ dataDir: config.embeddedPostgres.dataDir }, 'embedded Postgres ready');
    return { url, embedded: true, migrations: result.total, close: () => cluster.stop() };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
