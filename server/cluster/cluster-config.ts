import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { secret } from '../secret-variable';

/** The cluster variables; merged into server/config.ts's ZConfigEnv so one schema checks them all. */
export const ZClusterEnv = z.object({
  CLUSTER: z.enum(['on', 'off']).default('off').describe('on or off (on needs DATABASE_URL)'),
  SERVER_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional()
    .describe('1 to 64 letters, digits, dots, dashes or underscores'),
  CLUSTER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000).describe('milliseconds between server heartbeats, 100 to 60000'),
  CLUSTER_DEAD_AFTER_HEARTBEATS: z.coerce.number().int().min(2).max(100).default(3).describe('missed heartbeats before a server counts as dead, 2 to 100'),
  // Secret as a whole, like DATABASE_URL: it may hold a password.
  REDIS_URL: secret(
    z
      .url({ protocol: /^rediss?$/ })
      .optional()
      .describe('a redis:// or rediss:// URL'),
  ),
});

export interface ClusterConfig {
  /** Cross-server broadcasts, the message bus and cluster-wide jobs; off: one server, exactly as without a cluster. */
  enabled: boolean;
  /** This server's id: SERVER_ID, or the host name with a random suffix (a restart is a new server). */
  serverId: string;
  heartbeatMs: number;
  /** A server whose last heartbeat is older than this is dead: its instances are stale. */
  deadAfterMs: number;
  /** Dashboard broadcasts through Redis instead of Postgres. */
  redisUrl: string | null;
}

export function clusterConfigFrom(values: z.infer<typeof ZClusterEnv>): ClusterConfig {
  return {
    enabled: values.CLUSTER === 'on',
    serverId:
      values.SERVER_ID ??
      `${os
        .hostname()
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .slice(0, 40)}-${randomBytes(4).toString('hex')}`,
    heartbeatMs: values.CLUSTER_HEARTBEAT_MS,
    deadAfterMs: values.CLUSTER_HEARTBEAT_MS * values.CLUSTER_DEAD_AFTER_HEARTBEATS,
    redisUrl: values.REDIS_URL ?? null,
  };
}
