import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded } from '../../scripts/build-if-needed';
import { buildServer } from '../../scripts/build-server';
import { createLogger } from '../../server/logger';
import { startEmbeddedPostgres } from '../../server/store/embedded-postgres';

const ROOT_DIR = path.resolve(import.meta.dirname, '../..');

/** Builds the web app if needed and the server, as `npm start` does, and starts the Postgres the test servers use. */
export default async function globalSetup() {
  buildIfNeeded(ROOT_DIR);
  await buildServer(ROOT_DIR);
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-e2e-'));
  await chmod(dataRoot, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dataRoot, 'postgres'), port: 0, logger: createLogger('warn'), durable: false });
  // Workers start after this and inherit the environment.
  process.env.E2E_POSTGRES_ADMIN_URL = cluster.adminUrl;
  return async () => {
    await cluster.stop();
    await rm(dataRoot, { recursive: true, force: true });
  };
}
