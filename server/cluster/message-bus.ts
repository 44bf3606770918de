import type pg from 'pg';
import { z } from 'zod';
import { listen } from '../auth/api-keys';
import type { Logger } from '../logger';
import { busTopics, type BusBody, type BusTopic } from './bus-topics';
import { connectionNameOf } from './connection-names';

export const CLUSTER_BUS_CHANNEL = 'panel_cluster';
/**
 * Postgres refuses a NOTIFY payload of 8,000 bytes or more. A message whose
 * envelope is larger is stored in cluster_messages and the notification
 * carries its row id; the receivers read the row.
 */
export const NOTIFY_PAYLOAD_LIMIT_BYTES = 7_900;
// Stored messages are read within milliseconds of their notification; the rest is garbage.
const STORED_MESSAGE_TTL_MS = 5 * 60_000;

const ZEnvelope = z.union([z.object({ from: z.string(), topic: z.string(), body: z.unknown() }), z.object({ from: z.string(), topic: z.string(), stored: z.string().regex(/^\d+$/) })]);

type Handler<T extends BusTopic> = (body: BusBody<T>, from: string) => void | Promise<void>;

export type MessageBus = Awaited<ReturnType<typeof startMessageBus>>;

/**
 * A typed message bus between the servers that share one Postgres, over
 * LISTEN/NOTIFY: a notification reaches every listening server when the
 * publishing statement commits, in commit order, at most once — a server
 * that is disconnected at that moment misses it, so messages carry
 * commands to act on now, never state that only lives in the message (the
 * database holds that). A server does not hear its own messages.
 */
export async function startMessageBus({ databaseUrl, pool, serverId, logger }: { databaseUrl: string; pool: pg.Pool; serverId: string; logger: Logger }) {
  const handlers = new Map<BusTopic, Set<Handler<BusTopic>>>();

  const deliver = (topic: string, from: string, raw: unknown) => {
    if (!Object.hasOwn(busTopics, topic)) return logger.warn({ topic, from }, 'cluster bus: message on an unknown topic dropped');
    const known = topic as BusTopic;
    const parsed = busTopics[known].safeParse(raw);
    if (!parsed.success) return logger.warn({ topic, from, issue: parsed.error.issues[0]?.message }, 'cluster bus: malformed message dropped');
    for (const handler of handlers.get(known) ?? []) {
      Promise.resolve(handler(parsed.data, from)).catch((error: unknown) => logger.error({ err: error, topic, from }, 'cluster bus: handling a message failed'));
    }
  };

  const onNotification = async (payload: string) => {
    let envelope;
    try {
      envelope = ZEnvelope.parse(JSON.parse(payload));
    } catch {
      return logger.warn('cluster bus: unreadable notification dropped');
    }
    if (envelope.from === serverId) return;
    if ('stored' in envelope) {
      const { rows } = await pool.query<{ body: unknown }>('SELECT body FROM cluster_messages WHERE id = $1', [envelope.stored]);
      if (rows.length === 0) return logger.warn({ topic: envelope.topic, id: envelope.stored }, 'cluster bus: stored message gone before it was read');
      return deliver(envelope.topic, envelope.from, rows[0]!.body);
    }
    deliver(envelope.topic, envelope.from, envelope.body);
  };

  // Its connection's name tells the other servers this one is up (counting-handover.ts).
  const listener = await listen(
    databaseUrl,
    CLUSTER_BUS_CHANNEL,
    (payload) => {
      onNotification(payload).catch((error: unknown) => logger.error({ err: error }, 'cluster bus: reading a message failed'));
    },
    connectionNameOf(serverId, 'bus'),
  );

  return {
    serverId,

    /** Sends a message to every other server; resolves once Postgres took it (then every listening server gets it). */
    async publish<T extends BusTopic>(topic: T, body: BusBody<T>): Promise<void> {
      const payload = JSON.stringify({ from: serverId, topic, body });
      if (Buffer.byteLength(payload) <= NOTIFY_PAYLOAD_LIMIT_BYTES) {
        await pool.query('SELECT pg_notify($1, $2)', [CLUSTER_BUS_CHANNEL, payload]);
        return;
      }
      // The row and its notification in one statement: the notification goes out when the row is committed.
      await pool.query(
        `WITH stored AS (INSERT INTO cluster_messages (topic, body) VALUES ($2, $3::jsonb) RETURNING id)
         SELECT pg_notify($1, json_build_object('from', $4::text, 'topic', $2::text, 'stored', id::text)::text) FROM stored`,
        [CLUSTER_BUS_CHANNEL, topic, JSON.stringify(body), serverId],
      );
    },

    /** Handles the messages of one topic from the other servers; returns a function that stops handling them. */
    subscribe<T extends BusTopic>(topic: T, handler: Handler<T>): () => void {
      const set = handlers.get(topic) ?? new Set();
      handlers.set(topic, set);
      set.add(handler as Handler<BusTopic>);
      return () => set.delete(handler as Handler<BusTopic>);
    },

    /** Deletes stored messages every server has had time to read (a cluster-wide job). */
    async deleteOldMessages(): Promise<number> {
      const result = await pool.query('DELETE FROM cluster_messages WHERE created_at < now() - make_interval(secs => $1)', [STORED_MESSAGE_TTL_MS / 1000]);
      return result.rowCount ?? 0;
    },

    close: () => listener.close(),
  };
}
