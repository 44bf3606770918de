import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../server/logger';
import { startEmbeddedPostgres } from '../../server/store/embedded-postgres';

/** An embedded Postgres (fsync off) in a temp folder for one benchmark; its stop and the folder's removal go on `cleanups`. */
export async function startThrowawayPostgres(name: string, cleanups: Array<() => Promise<unknown>>) {
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), `breaker-panel-${name}-`));
  cleanups.push(() => rm(dataRoot, { recursive: true, force: true }));
  // The cluster may run as an unprivileged "postgres" user (when we are root), which must reach its folder.
  await chmod(dataRoot, 0o755);
  const dataDir = path.join(dataRoot, 'postgres');
  const postgres = await startEmbeddedPostgres({ dataDir, port: 0, logger: createLogger('warn'), durable: false });
  cleanups.push(() => postgres.stop());
  return { postgres, dataDir };
}
