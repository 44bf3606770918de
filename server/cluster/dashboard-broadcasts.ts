import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { Namespace, Server } from 'socket.io';
import { DASHBOARD_NAMESPACE } from '../../lib/live/dashboard-events.js';
import type { Logger } from '../logger';
import { connectionNameOf } from './counting-handover';

type AnyAdapter = Namespace['adapter'];

/**
 * Broadcasts on the dashboard namespace reach the dashboards of every server,
 * through @socket.io/postgres-adapter (NOTIFY; payloads over 8,000 bytes go
 * through its socket_io_attachments table). Only the dashboard namespace:
 * reporters' sockets are addressed by the server that holds them (the command
 * relay), and a cluster adapter on them would only add heartbeats. Call before
 * any namespace has sockets: the adapters of existing namespaces are rebuilt.
 */
export function broadcastDashboardsAcrossServers({ io, databaseUrl, serverId, logger }: { io: Server; databaseUrl: string; serverId: string; logger: Logger }) {
  // The adapter keeps one connection for LISTEN and publishes on the others: a small pool of its own, apart from the queries'.
  // Its name tells the other servers this one is up (counting-handover.ts).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3, connectionTimeoutMillis: 5_000, application_name: connectionNameOf(serverId, 'broadcasts') });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const postgresAdapter = createAdapter(pool, { errorHandler: (error) => logger.warn({ err: error }, 'dashboard broadcast across servers failed') });
  // The default in-memory adapter, a class, for every other namespace.
  const LocalAdapter = io.adapter() as unknown as new (namespace: Namespace) => AnyAdapter;
  // Socket.IO calls the adapter with `new`, and a function called with `new` that returns an object gives that object: so a plain function, not an arrow.
  function adapterFor(namespace: Namespace): AnyAdapter {
    return namespace.name === DASHBOARD_NAMESPACE ? postgresAdapter(namespace) : new LocalAdapter(namespace);
  }
  io.adapter(adapterFor);
  return {
    /** After io.close() (which closes the adapters): ends the adapter's connections. */
    close: () => pool.end().catch(() => undefined),
  };
}
