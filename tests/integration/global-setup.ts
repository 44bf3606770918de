import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../server/logger';
import { startEmbeddedPostgres } from '../../server/store/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test cluster's maintenance database; each test file creates its own database from it. */
    postgresAdminUrl: string;
  }
}

/** One real Postgres for the whole run; every test file gets a fresh database in it. */
export default async function setup(project: TestProject) {
  // The data folder sits in the system temp dir, which the unprivileged postgres user can reach.
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-test-'));
  await chmod(dataRoot, 0o755);
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(dataRoot, 'postgres'),
    port: 0,
    logger: createLogger('warn'),
    durable: false,
  });
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return async () => {
    await cluster.stop();
    await rm(dataRoot, { recursive: true, force: true });
  };
}
