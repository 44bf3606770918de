import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisStreamsAdapter } from '@socket.io/redis-streams-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import type { Namespace, Server } from 'socket.io';
import { DASHBOARD_NAMESPACE } from '../../lib/live/dashboard-events.js';
import type { Logger } from '../logger';
import { connectionNameOf } from './connection-names';

type AnyAdapter = Namespace['adapter'];
type AdapterFactory = (namespace: Namespace) => AnyAdapter;

// The Redis stream the servers' dashboard broadcasts go through, and how many entries it keeps.
const REDIS_STREAM = 'breaker-panel:dashboard';
const REDIS_STREAM_MAX_ENTRIES = 10_000;
const REDIS_CONNECT_TIMEOUT_MS = 10_000;

/** @socket.io/postgres-adapter: NOTIFY, payloads over 8,000 bytes through its socket_io_attachments table. */
function postgresBroadcasts(databaseUrl: string, serverId: string, logger: Logger) {
  // The adapter keeps one connection for LISTEN and publishes on the others: a small pool of its own, apart from the queries'.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3, connectionTimeoutMillis: 5_000, application_name: connectionNameOf(serverId, 'broadcasts') });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const factory = createPostgresAdapter(pool, { errorHandler: (error) => logger.warn({ err: error }, 'dashboard broadcast across servers failed') }) as unknown as AdapterFactory;
  return { factory, close: () => pool.end().catch(() => undefined) };
}

/** @socket.io/redis-streams-adapter (REDIS_URL): one Redis stream, capped, read by every server. */
async function redisBroadcasts(redisUrl: string, serverId: string, logger: Logger) {
  const client = createClient({ url: redisUrl, name: connectionNameOf(serverId, 'broadcasts').replaceAll(' ', '-') });
  // The client reconnects by itself; without a listener an error would end the process.
  let lastLoggedAt = 0;
  client.on('error', (error: unknown) => {
    if (Date.now() - lastLoggedAt < 30_000) return;
    lastLoggedAt = Date.now();
    logger.warn({ err: error }, 'Redis for dashboard broadcasts: connection error, reconnecting');
  });
  // The client would retry forever: a Redis that cannot be reached at start is a configuration error to report.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`REDIS_URL: no connection to Redis within ${REDIS_CONNECT_TIMEOUT_MS / 1000} s`)), REDIS_CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    await client.disconnect().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const factory = createRedisStreamsAdapter(client, { streamName: REDIS_STREAM, maxLen: REDIS_STREAM_MAX_ENTRIES }) as unknown as AdapterFactory;
  return {
    factory,
    close: () =>
      client.quit().then(
        () => undefined,
        () => undefined,
      ),
  };
}

/**
 * Broadcasts on the dashboard namespace reach the dashboards of every server:
 * through Postgres by default, through Redis when REDIS_URL is set
 * (docs/operations.md says which carries what). Only the dashboard
 * namespace: reporters' sockets are addressed by the server that holds them
 * (the command relay), and a cluster adapter on them would only add
 * heartbeats. Call before any namespace has sockets: the adapters of
 * existing namespaces are rebuilt.
 */
export async function broadcastDashboardsAcrossServers({
  io,
  databaseUrl,
  redisUrl,
  serverId,
  logger,
}: {
  io: Server;
  databaseUrl: string;
  redisUrl: string | null;
  serverId: string;
  logger: Logger;
}) {
  const { factory, close } = redisUrl ? await redisBroadcasts(redisUrl, serverId, logger) : postgresBroadcasts(databaseUrl, serverId, logger);
  // The default in-memory adapter, a class, for every other namespace.
  const LocalAdapter = io.adapter() as unknown as new (namespace: Namespace) => AnyAdapter;
  // Socket.IO calls the adapter with `new`, and a function called with `new` that returns an object gives that object: so a plain function, not an arrow.
  function adapterFor(namespace: Namespace): AnyAdapter {
    return namespace.name === DASHBOARD_NAMESPACE ? factory(namespace) : new LocalAdapter(namespace);
  }
  io.adapter(adapterFor);
  return {
    via: redisUrl ? ('redis' as const) : ('postgres' as const),
    /** After io.close() (which closes the adapters): ends the adapter's connections. */
    close,
  };
}
