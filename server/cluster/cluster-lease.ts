import type pg from 'pg';
import type { Logger } from '../logger';

export type ClusterLeases = ReturnType<typeof createClusterLeases>;

/**
 * Jobs that must run once across the cluster, claimed in cluster_leases with
 * the database's clock (servers' clocks may differ): a run is claimed only
 * when the job's period has passed since the last run anywhere and no other
 * server holds it; the lease runs out on its own if its holder dies mid-run.
 */
export function createClusterLeases({ pool, serverId }: { pool: pg.Pool; serverId: string }) {
  return {
    /** Claims the next run of `name` if it is due (`everyMs` since the last run) and free; true: run it, then `release`. */
    async claimRun(name: string, everyMs: number, leaseMs: number): Promise<boolean> {
      const { rows } = await pool.query<{ runs: string }>(
        `INSERT INTO cluster_leases AS l (name, holder, expires_at, runs, last_run_at)
         VALUES ($1, $2, now() + make_interval(secs => $4), 1, now())
         ON CONFLICT (name) DO UPDATE SET holder = $2, expires_at = now() + make_interval(secs => $4), runs = l.runs + 1, last_run_at = now()
         WHERE (l.last_run_at IS NULL OR l.last_run_at <= now() - make_interval(secs => $3))
           AND (l.expires_at <= now() OR l.holder = $2)
         RETURNING runs::text`,
        [name, serverId, everyMs / 1000, leaseMs / 1000],
      );
      return rows.length === 1;
    },

    /** Ends this server's lease of `name` (the run finished), so that another server may take the next one. */
    async release(name: string): Promise<void> {
      await pool.query('UPDATE cluster_leases SET expires_at = now() WHERE name = $1 AND holder = $2', [name, serverId]);
    },
  };
}

/**
 * Runs `work` once per `everyMs` across every server that starts this job:
 * each server checks every `everyMs / 2` and the one that claims the run
 * does it. `leaseMs` bounds how long a dead holder keeps the job from the others.
 */
export function startClusterJob({
  leases,
  name,
  everyMs,
  leaseMs = Math.max(30_000, everyMs * 2),
  work,
  logger,
}: {
  leases: ClusterLeases;
  name: string;
  everyMs: number;
  leaseMs?: number;
  work: () => Promise<void>;
  logger: Logger;
}) {
  let running: Promise<void> = Promise.resolve();
  const attempt = async () => {
    try {
      if (!(await leases.claimRun(name, everyMs, leaseMs))) return;
    } catch (error) {
      return logger.warn({ err: error, job: name }, 'claiming a cluster job failed');
    }
    try {
      await work();
    } catch (error) {
      logger.warn({ err: error, job: name }, 'a cluster job failed');
    } finally {
      await leases.release(name).catch(() => undefined);
    }
  };
  const tick = () => (running = running.then(attempt));
  const timer = setInterval(() => void tick(), Math.max(50, everyMs / 2));
  timer.unref();
  return {
    first: tick(),
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
