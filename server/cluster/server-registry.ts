import os from 'node:os';
import type pg from 'pg';
import type { Logger } from '../logger';

export interface ServerRow {
  id: string;
  version: string;
  host: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
  stoppedAt: Date | null;
  alive: boolean;
}

export type ServerRegistry = Awaited<ReturnType<typeof startServerRegistry>>;

// Stopped and dead servers' rows are kept a day for the operations view, then deleted.
const FORGET_DEAD_SERVERS_AFTER_MS = 24 * 3_600_000;

/**
 * This server's row in `servers`, heartbeated, and the other servers seen
 * from it: alive while their heartbeat is younger than `deadAfterMs` (by the
 * database's clock) and they have not stopped. A server killed with -9 stops
 * heartbeating; after `deadAfterMs` every other server counts it dead, and its
 * instances as stale until they report to a live server.
 */
export async function startServerRegistry({
  pool,
  serverId,
  version,
  heartbeatMs,
  deadAfterMs,
  logger,
}: {
  pool: pg.Pool;
  serverId: string;
  version: string;
  heartbeatMs: number;
  deadAfterMs: number;
  logger: Logger;
}) {
  await pool.query(
    `INSERT INTO servers (id, version, host, pid, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, now(), now())
     ON CONFLICT (id) DO UPDATE SET version = $2, host = $3, pid = $4, started_at = now(), heartbeat_at = now(), stopped_at = NULL`,
    [serverId, version, os.hostname(), process.pid],
  );
  const beat = async () => {
    await pool.query('UPDATE servers SET heartbeat_at = now(), stopped_at = NULL WHERE id = $1', [serverId]);
  };
  const timer = setInterval(() => void beat().catch((error: unknown) => logger.warn({ err: error }, 'server heartbeat failed')), heartbeatMs);
  timer.unref();

  const list = async (): Promise<ServerRow[]> => {
    const { rows } = await pool.query<Omit<ServerRow, 'alive'> & { alive: boolean }>(
      `SELECT id, version, host, pid, started_at AS "startedAt", heartbeat_at AS "heartbeatAt", stopped_at AS "stoppedAt",
              (stopped_at IS NULL AND heartbeat_at > now() - make_interval(secs => $1)) AS alive
       FROM servers ORDER BY started_at`,
      [deadAfterMs / 1000],
    );
    return rows;
  };

  return {
    serverId,
    /** Every server that shares the database, alive or not. */
    list,
    /** The ids of the servers alive now (this one included while it heartbeats). */
    async aliveIds(): Promise<Set<string>> {
      return new Set((await list()).filter((row) => row.alive).map((row) => row.id));
    },
    /** Deletes rows of servers gone for a day (a cluster-wide job). */
    async forgetLongDead(): Promise<number> {
      const result = await pool.query('DELETE FROM servers WHERE heartbeat_at < now() - make_interval(secs => $1)', [FORGET_DEAD_SERVERS_AFTER_MS / 1000]);
      return result.rowCount ?? 0;
    },
    /** Marks this server stopped (a graceful stop): the others count it dead at once. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await pool.query('UPDATE servers SET stopped_at = now() WHERE id = $1', [serverId]).catch(() => undefined);
    },
  };
}
