import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server as SocketServer } from 'socket.io';
import type { Config } from './config';
import { createApiHandler } from './http/api-router';
import { sendDatabaseUnavailable } from './http/database-unavailable';
import { addHealthRoute } from './http/health-route';
import { addOpenApiRoutes } from './http/openapi-routes';
import { createRouter } from './http/router';
import { sendJson } from './http/send-json';
import { installAccess, type Access } from './auth/install-access';
import type { SignInClock } from './auth/sign-in-clock';
import { setApiHeaders } from './auth/security-headers';
import { startLivePipeline } from './live-pipeline';
import { broadcastDashboardsAcrossServers } from './cluster/dashboard-broadcasts';
import { startCluster, type Cluster } from './cluster/start-cluster';
import { ReadGate } from './read-gate';
import { createMetricsHandler } from './metrics/panel-metrics';
import type { Logger } from './logger';
import { isDatabaseUnavailable } from './store/database-errors';
import { openDatabase, type OpenDatabase } from './store/open-database';
import { createDatabaseClients, type Prisma } from './store/prisma';
import { OTLP_METRICS_PATH } from './sources/otlp/otlp-metrics-route';
import { readVersion } from './version';
import { gatedWebSocketServer } from './ws-engine';

/** What serves the pages: Next.js in the real server. */
export interface WebApp {
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Upgrades that are not Socket.IO's (Next's dev reload). */
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close?(): Promise<void>;
}

export interface PanelServerOptions {
  config: Config;
  logger: Logger;
  /** Builds the page server once the database is ready; omit for an API-only server. */
  createWebApp?: (listening: { port: number; host: string }) => Promise<WebApp>;
  now?: () => number;
  /** The sign-in limits' time, apart from `now`: tests move it themselves rather than wait out real waits. */
  signInClock?: SignInClock;
  /** When the notification rules see things happen, apart from `now`: tests move it themselves rather than sleep. */
  notifyRulesNow?: () => number;
  /** The embedded Postgres died and could not be started again; the real server exits non-zero so that its supervisor restarts it. */
  onDatabaseLost?: (error: Error) => void;
}

export interface RunningPanel {
  port: number;
  url: string;
  database: OpenDatabase;
  prisma: Prisma;
  io: SocketServer;
  pipeline: Awaited<ReturnType<typeof startLivePipeline>>;
  /** Users, sessions, keys; `access.firstAdmin` is the admin created at this start, whose generated password the caller prints once. */
  access: Access;
  /** This server's part in a cluster (CLUSTER=on), or null for a server on its own. */
  cluster: Cluster | null;
  /** Every API route the server serves (the OpenAPI document must describe each). */
  apiRoutes: Array<{ method: string; path: string }>;
  stop(): Promise<void>;
}

// One event-loop turn's share of incoming messages: timers (dashboard deltas every 20 and 250 ms, flushes) and HTTP get the rest.
const READ_TURN_BUDGET_MS = 50;

const noPages: WebApp = { handleRequest: async (_req, res) => sendJson(res, 404, { error: { code: 'not_found', message: 'no page here' } }) };
// While Next prepares (a second or two after the port opens), a page that refreshes itself rather than an error.
const STARTING_PAGE = '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>Breaker Panel</title><p>Breaker Panel is starting…</p>';
const pagesStarting: WebApp = {
  handleRequest: async (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '1', 'cache-control': 'no-store' });
    res.end(STARTING_PAGE);
  },
};

/** One process, one port: the JSON API, the pages and Socket.IO. */
export async function startPanelServer({ config, logger, createWebApp, now = Date.now, signInClock, notifyRulesNow, onDatabaseLost }: PanelServerOptions): Promise<RunningPanel> {
  const version = readVersion(config.rootDir);
  const database = await openDatabase(config, logger, onDatabaseLost);
  const clients = createDatabaseClients(database.url);
  const { prisma, pool } = clients;
  const router = createRouter();
  addHealthRoute(router, prisma, version);
  addOpenApiRoutes(router, version);
  const api = createApiHandler(router, logger);
  let web = createWebApp ? pagesStarting : noPages;

  let metricsHandler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  // Set once Access is installed, before the server listens.
  let gate: Access['gate'] | undefined;

  const httpServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Prometheus scrapes with a bearer token, not a session: /metrics answers before the access gate.
    if (url.pathname === '/metrics' && metricsHandler) {
      metricsHandler(req, res).catch(() => res.destroy());
      return;
    }
    // OTLP exporters post to the standard /v1/metrics with a reporter API key, not a session: it answers before the access gate.
    if (url.pathname === OTLP_METRICS_PATH) {
      setApiHeaders(res);
      api(req, res, url).catch(() => res.destroy());
      return;
    }
    const route = () => (url.pathname === '/api' || url.pathname.startsWith('/api/') ? api(req, res, url) : web.handleRequest(req, res));
    const handled = gate ? gate(req, res, url, route) : route();
    handled.catch((error: unknown) => {
      // The access gate reads sessions from the database: while it is away, pages and API alike answer 503.
      if (isDatabaseUnavailable(error) && !res.headersSent) {
        logger.warn({ err: error, path: url.pathname }, 'request failed: the database is unavailable');
        return sendDatabaseUnavailable(res);
      }
      logger.error({ err: error, path: url.pathname }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
      else res.destroy();
    });
  });
  // Socket.IO handles its own upgrades and, with destroyUpgrade off, leaves the rest to us.
  const readGate = new ReadGate(READ_TURN_BUDGET_MS);
  const io = new SocketServer(httpServer, {
    serveClient: false,
    destroyUpgrade: false,
    maxHttpBufferSize: config.ingest.maxMessageBytes,
    wsEngine: gatedWebSocketServer(readGate),
  });
  // Before any namespace has sockets: the adapters are chosen when namespaces are set up.
  const broadcasts = config.cluster.enabled
    ? await broadcastDashboardsAcrossServers({ io, databaseUrl: database.url, redisUrl: config.cluster.redisUrl, serverId: config.cluster.serverId, logger })
    : null;
  let access;
  let pipeline;
  let cluster: Cluster | null = null;
  try {
    if (config.cluster.enabled) cluster = await startCluster({ config: config.cluster, pool, databaseUrl: database.url, version, logger });
    access = await installAccess({ config, logger, prisma, pool, router, io, databaseUrl: database.url, now, signInClock });
    gate = access.gate;
    pipeline = await startLivePipeline({ config, logger, io, router, pool, prisma, databaseUrl: database.url, keys: access.keys, version, now, notifyRulesNow, readGate, cluster });
    metricsHandler = createMetricsHandler(pipeline.metrics, config.metricsToken);
  } catch (error) {
    await access?.stop();
    await cluster?.stop();
    await broadcasts?.close();
    await clients.close();
    await database.close();
    throw error;
  }
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.startsWith('/socket.io/')) return;
    if (web.handleUpgrade) web.handleUpgrade(req, socket, head).catch(() => socket.destroy());
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await pipeline.stop();
    await access.stop();
    await cluster?.stop();
    await broadcasts?.close();
    await clients.close();
    await database.close();
    throw error;
  }
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (createWebApp) web = await createWebApp({ port, host: config.host });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting, write the counters, then close sockets (reporters and dashboards reconnect elsewhere), then flush and close the store.
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Long polls would hold their connections open until their time ran out.
      pipeline.endLongPolls();
      // Before the reporters leave for another server, which counts their runs on from what is stored; a database that does not answer holds them back only so long.
      const drained = pipeline.drainCounters().catch((error: unknown) => logger.warn({ err: error }, 'writing counters before closing the sockets failed'));
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs / 4).unref())]);
      // A closing server still answers requests on open keep-alive connections (browsers prefetch pages on them), and
      // a connection that goes idle after close() is kept until its keep-alive timeout: close idle ones as they appear.
      const closeIdle = setInterval(() => httpServer.closeIdleConnections(), 100);
      const forceAfter = setTimeout(() => httpServer.closeAllConnections(), config.shutdownTimeoutMs / 2);
      // Closes the sockets, then waits as `closed` does for the HTTP server's last connection.
      await io.close();
      await closed;
      clearInterval(closeIdle);
      clearTimeout(forceAfter);
      await web.close?.();
      await pipeline.stop();
      await access.stop();
      await cluster?.stop();
      await broadcasts?.close();
      await clients.close();
      await database.close();
    })());

  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return { port, url: `http://${shownHost}:${port}`, database, prisma, io, pipeline, access, cluster, apiRoutes: router.routes(), stop };
}
