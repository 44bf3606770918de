import type pg from 'pg';
import type { Logger } from '../logger';
import type { ClusterConfig } from './cluster-config';
import { createClusterLeases, startClusterJob, type ClusterLeases } from './cluster-lease';
import { startMessageBus, type MessageBus } from './message-bus';
import { deletePartsOfForgottenServers } from './partial-exchange';
import { startServerRegistry, type ServerRegistry } from './server-registry';

export interface Cluster {
  serverId: string;
  registry: ServerRegistry;
  bus: MessageBus;
  leases: ClusterLeases;
  stop(): Promise<void>;
}

export const CLUSTER_MAINTENANCE_JOB = 'cluster-maintenance';

/**
 * This server's part in a cluster: its heartbeat row, the message bus and
 * the cluster-wide job leases, plus the housekeeping job (old bus messages,
 * long-dead servers and their parts of the views) that one server runs per heartbeat period.
 */
export async function startCluster({ config, pool, databaseUrl, version, logger }: { config: ClusterConfig; pool: pg.Pool; databaseUrl: string; version: string; logger: Logger }): Promise<Cluster> {
  const { serverId } = config;
  const registry = await startServerRegistry({ pool, serverId, version, heartbeatMs: config.heartbeatMs, deadAfterMs: config.deadAfterMs, logger });
  const bus = await startMessageBus({ databaseUrl, pool, serverId, logger });
  const leases = createClusterLeases({ pool, serverId });
  const maintenance = startClusterJob({
    leases,
    name: CLUSTER_MAINTENANCE_JOB,
    everyMs: config.heartbeatMs,
    logger,
    work: async () => {
      await bus.deleteOldMessages();
      await registry.forgetLongDead();
      await deletePartsOfForgottenServers(pool);
    },
  });
  await maintenance.first;
  logger.info({ serverId }, 'joined the cluster');
  return {
    serverId,
    registry,
    bus,
    leases,
    async stop() {
      await maintenance.stop();
      await bus.close();
      await registry.stop();
    },
  };
}
