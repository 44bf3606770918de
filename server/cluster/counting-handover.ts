import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { NamedReport } from '../ingest/named-report';
import type { Logger } from '../logger';
import { connectionNameOf } from './connection-names';
import type { MessageBus } from './message-bus';

// How often the holder's connections are looked for while its answer is awaited, and how long it is awaited at most.
const HOLDER_CHECK_MS = 200;
const ANSWER_WITHIN_MS = 5_000;

/**
 * An instance's run is counted by one server at a time (counter_baselines.counted_by).
 * When it registers with another server while the one that counted it is
 * still up (its connection dropped, a balancer moved it), that one writes
 * everything it counted before the new one loads the stored counters and
 * counts on: else the span it had counted and not yet written would be
 * counted twice. A holder that is gone (its cluster bus connection to
 * Postgres is) wrote nothing more and never will: the new server counts on
 * at once.
 *
 * An HTTP reporter registers once and its batches may reach any server.
 * Its counters are cumulative, so a server that does not count its run
 * applies its reports' states only: the counting server's next report
 * counts the calls in between. A server takes the run over (as above) only
 * when the counting server is dead or has not had one of its reports for
 * `graceMs`, so the counts of a reporter that no longer reaches it go on.
 */
export function createCountingHandover({
  pool,
  bus,
  serverId,
  logger,
  writeCounts,
  letGo,
  countOnFromStored,
  startOrJoinRun,
  countReport,
  lastReportOn,
  isAlive,
  graceMs,
  now,
}: {
  pool: pg.Pool;
  bus: MessageBus;
  serverId: string;
  logger: Logger;
  /** Writes every count this server holds, open buckets included. */
  writeCounts(): Promise<void>;
  /** Closes this server's connections of an instance that now reports elsewhere. */
  letGo(instanceId: string): void;
  /** Moves an instance's counters on to what is stored for its run. */
  countOnFromStored(instanceId: string): Promise<void>;
  /** Stores a run's zero counters counted by this server, unless the run is stored already; true when this server started it. */
  startOrJoinRun(instanceId: string, runId: string): Promise<boolean>;
  /** Counts a report this server applied without counting it (the aggregate's countReport). */
  countReport(instanceId: string, report: NamedReport): void;
  /** When a server last had a report of the instance (remote-partials.ts); null when it is dead or had none. */
  lastReportOn(server: string, instanceId: string): number | null;
  isAlive(server: string): boolean;
  /** How long a server that counts a run may go without its reports before another takes the run over: the stale time. */
  graceMs: number;
  now: () => number;
}) {
  // Instances whose run another server counts, that this one knows (an HTTP reporter's), and since when it knows.
  const countedElsewhere = new Map<string, { holder: string; since: number }>();
  // Per instance counted elsewhere, the last report this server applied without counting it, and when.
  const uncounted = new Map<string, { report: NamedReport; at: number }>();
  const answers = new Map<string, () => void>();
  const stopAnswers = bus.subscribe('counting.handedOver', ({ requestId }) => answers.get(requestId)?.());
  const stopRequests = bus.subscribe('counting.handover', async ({ instanceId, from, to, requestId }) => {
    if (from !== serverId) return;
    countedElsewhere.set(instanceId, { holder: to, since: now() });
    letGo(instanceId);
    await writeCounts();
    await bus.publish('counting.handedOver', { requestId });
  });
  /** Who counts the instance's run (of `runId` only, when given), as stored. */
  const storedHolder = async (instanceId: string, runId?: string) => {
    const { rows } = await pool.query<{ counted_by: string | null }>(
      `SELECT counted_by FROM counter_baselines WHERE instance_id = $1${runId ? ' AND run_id = $2' : ''}`,
      runId ? [instanceId, runId] : [instanceId],
    );
    return rows[0]?.counted_by ?? null;
  };

  const holderConnected = async (holder: string) => {
    const { rows } = await pool.query<{ connected: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = left($1, 63)) AS connected', [connectionNameOf(holder, 'bus')]);
    return rows[0]?.connected ?? false;
  };

  /** Makes this server the one that counts the run, once the previous one (if still up) wrote what it counted. */
  async function takeOver(instanceId: string, runId: string): Promise<void> {
    countedElsewhere.delete(instanceId);
    const { rows } = await pool.query<{ previous: string | null }>(
      `UPDATE counter_baselines c SET counted_by = $3 FROM counter_baselines old
        WHERE c.instance_id = $1 AND c.run_id = $2 AND old.instance_id = c.instance_id
        RETURNING old.counted_by AS previous`,
      [instanceId, runId, serverId],
    );
    const holder = rows[0]?.previous;
    if (!holder || holder === serverId || !(await holderConnected(holder))) return;
    const requestId = randomUUID();
    const startedAt = Date.now();
    let answered = false;
    const answer = new Promise<void>((resolve) => answers.set(requestId, () => ((answered = true), resolve())));
    try {
      await bus.publish('counting.handover', { instanceId, runId, from: holder, to: serverId, requestId });
      while (!answered) {
        await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, HOLDER_CHECK_MS))]);
        if (answered) break;
        if (!(await holderConnected(holder))) return;
        if (Date.now() - startedAt > ANSWER_WITHIN_MS) {
          logger.warn({ instanceId, holder }, 'counting handover: the previous server did not answer; counting on from what it stored');
          return;
        }
      }
    } finally {
      answers.delete(requestId);
    }
  }

  /**
   * Whether this server counts a report of an instance another server
   * counted: only once that server is dead, or had none of its reports
   * for graceMs (then this one takes the run over and counts on from what
   * is stored). The holder is read again from the database once a grace.
   */
  async function claims(instanceId: string, runId: string): Promise<boolean> {
    const known = countedElsewhere.get(instanceId);
    if (!known) return true;
    if (isAlive(known.holder)) {
      if (now() - known.since < graceMs) return false;
      const holder = await storedHolder(instanceId);
      if (holder && holder !== serverId && holder !== known.holder) {
        countedElsewhere.set(instanceId, { holder, since: now() });
        return false;
      }
      const heard = holder === known.holder ? lastReportOn(holder, instanceId) : null;
      if (heard !== null && now() - heard < graceMs) {
        known.since = now();
        return false;
      }
    }
    await takeOver(instanceId, runId);
    await countOnFromStored(instanceId);
    return true;
  }

  /**
   * The calls of a report only this server saw are counted by the counting
   * server's next report. When there is none (the reporter stopped, or
   * reaches only this server now) for the stale time, and the counting
   * server had no later report, this server takes the run over and counts
   * that report itself.
   */
  async function settleQuiet(): Promise<void> {
    for (const [instanceId, { report, at }] of uncounted) {
      if (now() - at < graceMs) continue;
      uncounted.delete(instanceId);
      const holder = await storedHolder(instanceId, report.runId);
      if (!holder || holder === serverId || (isAlive(holder) && (lastReportOn(holder, instanceId) ?? -Infinity) >= at)) continue;
      await takeOver(instanceId, report.runId);
      await countOnFromStored(instanceId);
      countReport(instanceId, report);
    }
  }
  let settling = false;
  const settleTimer = setInterval(
    () => {
      if (settling) return;
      settling = true;
      settleQuiet()
        .catch((error: unknown) => logger.warn({ err: error }, 'counting handover: counting the last reports of quiet runs failed'))
        .finally(() => (settling = false));
    },
    Math.max(100, graceMs / 4),
  );
  settleTimer.unref();

  return {
    takeOver,

    /** Notes which instances loaded from the catalog (all, or one) another server counts: their reports here count only once this server takes the run over. */
    async noteLoaded(instanceId?: string): Promise<void> {
      const { rows } = await pool.query<{ instance_id: string; counted_by: string }>(
        `SELECT instance_id, counted_by FROM counter_baselines WHERE counted_by <> $1${instanceId ? ' AND instance_id = $2' : ''}`,
        instanceId ? [serverId, instanceId] : [serverId],
      );
      for (const row of rows) countedElsewhere.set(row.instance_id, { holder: row.counted_by, since: now() });
    },

    /**
     * A report of a run that did not register here: an HTTP reporter that
     * restarted and registered with another server, which counts it, or
     * with none (then this server starts the run and counts it). Without
     * this, each server would count the new run from zero.
     */
    async runSeen(instanceId: string, runId: string): Promise<void> {
      countedElsewhere.delete(instanceId);
      if (!(await startOrJoinRun(instanceId, runId))) await this.noteLoaded(instanceId);
    },

    /** Whether another server counts the instance's run, as far as this one knows; most reports need no more than this. */
    countsElsewhere: (instanceId: string): boolean => countedElsewhere.has(instanceId),

    /** Whether this server counts a report of an instance another server counted (claims); one it does not count is kept for settleQuiet. */
    async claim(instanceId: string, report: NamedReport): Promise<boolean> {
      const counts = await claims(instanceId, report.runId);
      if (counts) uncounted.delete(instanceId);
      else uncounted.set(instanceId, { report, at: now() });
      return counts;
    },

    close(): void {
      clearInterval(settleTimer);
      stopAnswers();
      stopRequests();
    },
  };
}
