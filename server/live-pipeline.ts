import type pg from 'pg';
import type { Server } from 'socket.io';
import { createAggregate } from './aggregate/aggregate';
import { loadCatalog, loadInstance } from './store/load-catalog';
import { listenForRevokedKeys } from './auth/api-keys';
import { holdClusterRole } from './cluster/cluster-leader';
import { createCountingHandover } from './cluster/counting-handover';
import { startPartialExchange } from './cluster/partial-exchange';
import { createRemotePartials } from './cluster/remote-partials';
import type { Cluster } from './cluster/start-cluster';
import type { Config } from './config';
import { createActiveOverrides } from './control/active-overrides';
import { createCommandDelivery } from './control/command-delivery';
import { createCommandRelay } from './control/command-relay';
import { createKnownInstances } from './control/known-instances';
import { createOverrideSync } from './control/override-sync';
import { createHttpCommands } from './control/http-commands';
import { createHttpMailboxes } from './control/http-mailboxes';
import { addControlRoutes } from './control/control-routes';
import { createIssueAction } from './control/issue-action';
import { addBreakerRoutes } from './http/breaker-routes';
import { addHistoryRoutes } from './history/history-routes';
import type { Router } from './http/router';
import { createAgentNamespace, instanceRoom } from './ingest/agent-namespace';
import { createIngest } from './ingest/ingest';
import type { ReadGate } from './read-gate';
import { addCommandsRoute } from './http/commands-route';
import { addReportsRoute } from './http/reports-route';
import type { ApiKeyVerifier } from './auth/reporter-identity';
import { createIntervals } from './jobs/intervals';
import { createAggregateFlusher } from './jobs/flush-aggregate';
import { startEpisodeCatchUpJob } from './jobs/episode-catch-up-job';
import { startRollupJob } from './jobs/rollup-and-retention';
import { createDashboardNamespace } from './live/dashboard-namespace';
import { createLivePublisher } from './live/live-publisher';
import { createLiveView } from './live/live-view';
import type { Logger } from './logger';
import { createPanelMetrics } from './metrics/panel-metrics';
import { createNotifications } from './notify/start-notifications';
import { createBaselineStore } from './store/baseline-store';
import { createCatalogStore } from './store/catalog-store';
import type { Prisma } from './store/prisma';
import { createTransitionStore } from './store/transition-store';
import { createCredentialBox } from './sources/credential-box';
import { ensureCredentialKey } from './sources/credential-key';
import { SOURCE_KINDS } from './sources/source-kinds';
import { addSourceRoutes } from './sources/source-routes';
import { createSourceRuntime } from './sources/source-runtime';
import { createSourceStore } from './sources/source-store';
import { addOtlpMetricsRoute } from './sources/otlp/otlp-metrics-route';
import { PollyCircuitTracker } from './sources/otlp/polly-circuit-tracker';

export interface LivePipelineOptions {
  config: Config;
  logger: Logger;
  io: Server;
  router: Router;
  pool: pg.Pool;
  prisma: Prisma;
  databaseUrl: string;
  keys: ApiKeyVerifier;
  version: string;
  now: () => number;
  /** When the notification rules see things happen (open how long, trips in a window); `now` unless a test moves it itself. */
  notifyRulesNow?: () => number;
  /** The sockets' backpressure, for the metrics. */
  readGate?: ReadGate;
  /** Several servers on one database: commands and overrides cross servers through its bus. */
  cluster?: Cluster | null;
}

const LIVE_INTERVAL_MS = 250;
// Counter-only changes reach the dashboards twice a second: rates are averages over the last 10 to 20 s, and under
// heavy reporting a delta's cost is per breaker, not per report (docs/performance.md, "The dashboards' deltas").
const COUNTER_DELTA_INTERVAL_MS = 500;
const BUCKET_SECONDS = 10;
// State changes are not coalesced with the counters; batching them per few milliseconds keeps a storm of trips to one message per batch.
const STATE_CHANGE_INTERVAL_MS = 20;
const ROLLUP_INTERVAL_MS = 60_000;
// Trip episodes for the incidents list: stored within a minute, whoever reads them.
const EPISODE_CATCH_UP_INTERVAL_MS = 60_000;
const EXPIRY_CHECK_MS = 1_000;
// Long polls of HTTP reporters waiting at once: each holds a request open; more are told to retry.
const MAX_LONG_POLLS = 10_000;
// An HTTP reporter not heard from for an hour is forgotten; if it comes back it is sent the overrides in force again.
const FORGET_HTTP_REPORTER_MS = 3_600_000;
// The cluster role whose holder sends the notifications derived from the merged live view.
export const NOTIFIER_ROLE = 'notifier';

/**
 * The report's path through the server, wired in the order it travels:
 * ingest (socket and HTTP) → aggregate → store (flusher, rollups) and live
 * (dashboard namespace and publisher), plus the read API over both.
 */
export async function startLivePipeline({ config, logger, io, router, pool, prisma, databaseUrl, keys, version, now, notifyRulesNow = now, readGate, cluster = null }: LivePipelineOptions) {
  const aggregate = createAggregate({ now, staleAfterMs: config.ingest.staleAfterMs, bucketSeconds: BUCKET_SECONDS });
  const breakerIdsOf = (instanceId: string) => [...(aggregate.instances.get(instanceId)?.pairs.values() ?? [])].map((pair) => pair.breakerId);
  // With several servers, every summary is merged from this server's parts and the others' (docs/operations.md).
  const remote = cluster ? createRemotePartials({ serverId: cluster.serverId }) : null;
  if (remote) aggregate.useRemoteViews(remote.views);
  let exchange: Awaited<ReturnType<typeof startPartialExchange>> | null = null;
  // Bound once the flusher and the agent namespace exist; registrations wait for the cluster parts anyway.
  let handover: ReturnType<typeof createCountingHandover> | null = null;
  const view = createLiveView(aggregate, now);
  const dashboard = createDashboardNamespace(io, { version, now, view, logger });
  const publisher = createLivePublisher({
    namespace: dashboard,
    aggregate,
    now,
    remote: remote ?? undefined,
    onOwnChanges: remote ? (breakerIds, moved) => exchange?.noteChanged(breakerIds, moved) : undefined,
  });
  const notifierRole = cluster
    ? holdClusterRole({
        leases: cluster.leases,
        name: NOTIFIER_ROLE,
        renewEveryMs: config.cluster.heartbeatMs,
        leaseMs: config.cluster.deadAfterMs,
        logger,
        onTaken: () => void notifications.sendUnsent().catch((error: unknown) => logger.warn({ err: error }, 'sending the events a previous notifier had not sent failed')),
      })
    : null;
  // Publishing, flushing, liveness and expiry run from timers; the read gate keeps a flood of reports from holding them back.
  const timers = createIntervals();
  const metrics = createPanelMetrics({ aggregate, io, readGate });
  const notifications = createNotifications({
    prisma,
    aggregate,
    router,
    config: config.notify,
    now,
    rulesNow: notifyRulesNow,
    logger,
    version,
    sendsDerivedEvents: notifierRole?.holds,
    // The lease's failover gap: a dead holder's lease runs out, and the next renewal takes it.
    keepUnsentMs: cluster ? config.cluster.deadAfterMs + 2 * config.cluster.heartbeatMs : undefined,
  });
  const onTransition: typeof publisher.publishTransition = (record) => {
    publisher.publishTransition(record);
    notifications.onTransition(record);
  };
  const ingest = createIngest({
    aggregate,
    catalog: createCatalogStore(pool),
    transitions: createTransitionStore(pool),
    now,
    onTransition,
    // Bound below: deliveries need the agent namespace, which needs ingest.
    onCommandAck: (instanceId, ack) => delivery.acknowledge(instanceId, ack),
    counters: metrics.counters,
    onRunRegistered: async ({ instanceId, runId, breakerIds }) => {
      await handover?.takeOver(instanceId, runId);
      return createBaselineStore(pool).startOrJoin(instanceId, runId, breakerIds, cluster?.serverId ?? null);
    },
    loadInstance: async (serviceId, name) => {
      const id = await loadInstance(pool, aggregate, ingest, serviceId, name);
      if (id) await handover?.noteLoaded(id);
      return id;
    },
    countingServer: {
      countsElsewhere: (instanceId) => handover?.countsElsewhere(instanceId) ?? false,
      claim: (instanceId, report) => handover?.claim(instanceId, report) ?? Promise.resolve(true),
      runSeen: async (instanceId, runId) => handover?.runSeen(instanceId, runId),
    },
    // Bound below, like onCommandAck.
    onHeldOverrides: (instanceId, held) => overrides.reconcile(instanceId, held),
  });
  const loaded = await loadCatalog(pool, aggregate, ingest);
  logger.info(loaded, 'catalog loaded');
  if (cluster && remote) {
    // Before the notifier seeds its tracks: it starts from the whole picture.
    exchange = await startPartialExchange({
      pool,
      databaseUrl,
      serverId: cluster.serverId,
      aggregate,
      remote,
      registry: cluster.registry,
      heartbeatMs: config.cluster.heartbeatMs,
      publishEveryMs: LIVE_INTERVAL_MS,
      bucketMs: BUCKET_SECONDS * 1000,
      now,
      logger,
    });
    await notifierRole?.first;
  }

  const agent = createAgentNamespace(io, {
    ingest,
    keys,
    logger,
    onRejected: metrics.counters.messageRejected,
    onRegistered: (instanceId) => void overrides.onRegistered(instanceId).catch((error: unknown) => logger.error({ err: error, instanceId }, 'sending active overrides failed')),
  });
  const mailboxes = createHttpMailboxes({ now, staleAfterMs: config.ingest.staleAfterMs, maxWaiters: MAX_LONG_POLLS });
  const relay = cluster ? createCommandRelay({ bus: cluster.bus, logger }) : null;
  const delivery = createCommandDelivery({ prisma, agent, aggregate, mailboxes, now, onDelivery: publisher.publishDelivery, relay: relay?.relay });
  relay?.attach(delivery);
  const overrideSync = cluster ? createOverrideSync({ bus: cluster.bus, reloadOne: (breakerId) => overrides.reloadOne(breakerId), logger }) : null;
  const overrides = createActiveOverrides({ prisma, aggregate, delivery, now, logger, onTransition, onOverrideChanged: overrideSync?.changed });
  const httpCommands = createHttpCommands({ mailboxes, delivery, resendOverrides: (instanceId) => overrides.onRegistered(instanceId) });
  await overrides.load();
  await notifications.start();
  const issueAction = createIssueAction({
    prisma,
    aggregate,
    delivery,
    now,
    onTransition,
    knownInstances: cluster ? createKnownInstances(pool) : undefined,
    onOverrideChanged: overrideSync?.changed,
  });
  addControlRoutes(router, { issueAction, delivery, prisma, db: pool });
  addReportsRoute(router, { ingest, keys, commands: httpCommands, limitBytes: config.ingest.maxMessageBytes, logger });
  addCommandsRoute(router, { ingest, keys, commands: httpCommands, logger });
  addBreakerRoutes(router, { aggregate, db: pool, retention: config.ingest.retention, now });
  addHistoryRoutes(router, { db: pool, now, staleAfterMs: config.ingest.staleAfterMs, flushIntervalMs: config.ingest.flushIntervalMs });

  const sourceStore = createSourceStore({ prisma, box: createCredentialBox(config.sources.credentialKey ?? (await ensureCredentialKey(config.sources.credentialKeyFile))), now });
  const catalog = createCatalogStore(pool);
  const serviceIds = new Map<string, string>();
  const sources = createSourceRuntime({
    store: sourceStore,
    ingest,
    commands: httpCommands,
    serviceId: async (name) => {
      const known = serviceIds.get(name);
      if (known) return known;
      const id = await catalog.upsertService(name);
      serviceIds.set(name, id);
      return id;
    },
    kinds: SOURCE_KINDS,
    now,
    reportIntervalMs: config.ingest.reportIntervalMs,
    logger: logger.child({ area: 'sources' }),
  });
  addSourceRoutes(router, { store: sourceStore, onChanged: (sourceId) => sources.reload(sourceId) });
  logger.info({ sources: await sources.start() }, 'sources started');
  addOtlpMetricsRoute(router, {
    keys,
    sink: sources.sink,
    sourceFor: (reporter) => Promise.resolve(sources.running().find((source) => source.kind === 'otlp' && source.service === reporter.serviceName)?.id ?? null),
    tracker: new PollyCircuitTracker(now()),
    limitBytes: config.ingest.maxMessageBytes,
    logger,
    now,
  });

  const revocations = await listenForRevokedKeys(databaseUrl, (keyId) => {
    agent.disconnectKey(keyId);
    mailboxes.revokeKey(keyId);
  });
  const rollups = startRollupJob({ pool, now, retention: config.ingest.retention, logger, intervalMs: ROLLUP_INTERVAL_MS });
  await rollups.first;
  const episodes = startEpisodeCatchUpJob({ pool, logger, intervalMs: EPISODE_CATCH_UP_INTERVAL_MS });
  const flusher = createAggregateFlusher({ aggregate, pool, logger, now, onRowsDropped: metrics.onRowsDropped });
  if (cluster && remote) {
    handover = createCountingHandover({
      pool,
      bus: cluster.bus,
      serverId: cluster.serverId,
      logger,
      writeCounts: () => flusher.flushAll(),
      letGo: (instanceId) => agent.namespace.in(instanceRoom(instanceId)).disconnectSockets(true),
      countOnFromStored: async (instanceId) => {
        for (const baseline of await createBaselineStore(pool).load(instanceId)) aggregate.restoreCounted(baseline);
      },
      startOrJoinRun: async (instanceId, runId) => (await createBaselineStore(pool).startOrJoin(instanceId, runId, breakerIdsOf(instanceId), cluster.serverId)) === null,
      countReport: (instanceId, report) => aggregate.countReport(instanceId, report),
      lastReportOn: (server, instanceId) => remote.lastReportOn(server, instanceId, breakerIdsOf(instanceId)),
      isAlive: (server) => remote.isAlive(server),
      graceMs: config.ingest.staleAfterMs,
      now,
    });
    await handover.noteLoaded();
  }
  timers.every(COUNTER_DELTA_INTERVAL_MS, () => publisher.flush());
  if (remote) timers.every(LIVE_INTERVAL_MS, () => notifications.evaluateSome(remote.takeToEvaluate()));
  timers.every(STATE_CHANGE_INTERVAL_MS, () => publisher.flushStateChanges());
  timers.every(config.ingest.flushIntervalMs, () => void flusher.flush());
  timers.every(Math.min(1_000, config.ingest.reportIntervalMs), () => aggregate.checkLiveness());
  timers.every(60_000, () => mailboxes.sweep(FORGET_HTTP_REPORTER_MS));
  timers.every(EXPIRY_CHECK_MS, () => void overrides.expireDue().catch((error: unknown) => logger.warn({ err: error }, 'expiring overrides failed')));

  return {
    aggregate,
    metrics,
    ingest,
    agent,
    publisher,
    httpCommands,
    sources,
    /** Answers every waiting long poll of HTTP reporters at once, and later ones without waiting: the server is stopping. */
    endLongPolls: () => mailboxes.close(),
    /** This server's parts of the views published to the others now (CLUSTER=on; tests). */
    publishPartials: () => exchange?.flush() ?? Promise.resolve(),
    /**
     * Stops counting reports and writes every count, open buckets included,
     * before the sockets close: a reporter that moves to another server then
     * finds its run stored as far as this server counted it.
     */
    async drainCounters(): Promise<void> {
      ingest.stopCounting();
      await flusher.flushAll();
    },
    /** Writes everything pending now, open buckets included (tests, benchmarks). */
    flush: () => flusher.flushAll(),
    /** Stops the timers and writes what is still pending: after the sockets closed, before the pool does. */
    async stop(): Promise<void> {
      timers.stop();
      await exchange?.stop();
      await notifierRole?.stop();
      relay?.close();
      handover?.close();
      overrideSync?.close();
      await sources.stop();
      await notifications.stop();
      await revocations.close();
      await rollups.stop();
      await episodes.stop();
      await flusher.stop();
    },
  };
}
