import { randomUUID } from 'node:crypto';
import type pg from 'pg';
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
 */
export function createCountingHandover({
  pool,
  bus,
  serverId,
  logger,
  writeCounts,
  letGo,
}: {
  pool: pg.Pool;
  bus: MessageBus;
  serverId: string;
  logger: Logger;
  /** Writes every count this server holds, open buckets included. */
  writeCounts(): Promise<void>;
  /** Closes this server's connections of an instance that now reports elsewhere. */
  letGo(instanceId: string): void;
}) {
  const answers = new Map<string, () => void>();
  const stopAnswers = bus.subscribe('counting.handedOver', ({ requestId }) => answers.get(requestId)?.());
  const stopRequests = bus.subscribe('counting.handover', async ({ instanceId, from, requestId }) => {
    if (from !== serverId) return;
    letGo(instanceId);
    await writeCounts();
    await bus.publish('counting.handedOver', { requestId });
  });

  const holderConnected = async (holder: string) => {
    const { rows } = await pool.query<{ connected: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = left($1, 63)) AS connected', [connectionNameOf(holder, 'bus')]);
    return rows[0]?.connected ?? false;
  };

  return {
    /** Makes this server the one that counts the run, once the previous one (if still up) wrote what it counted. */
    async takeOver(instanceId: string, runId: string): Promise<void> {
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
        await bus.publish('counting.handover', { instanceId, runId, from: holder, requestId });
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
    },
    close(): void {
      stopAnswers();
      stopRequests();
    },
  };
}
