import type pg from 'pg';
import { z } from 'zod';
import type { Aggregate } from '../aggregate/aggregate';
import { listen } from '../auth/api-keys';
import type { Logger } from '../logger';
import { withoutRows } from './merge-partials';
import { fromBody, toBody, ZPartialBody, type TPartialBody } from './partial-wire';
import type { RemotePartials } from './remote-partials';
import type { ServerRegistry } from './server-registry';

export const PARTIALS_CHANNEL = 'panel_partials';
// Rows per upsert statement: a few hundred kilobytes each.
const UPSERT_BATCH = 500;
// Past a bucket's start, when every held breaker's part is written again: reports that arrive by then are in it.
const REFRESH_AFTER_BUCKET_MS = 100;

const ZNotice = z.union([z.object({ server: z.string(), seq: z.string().regex(/^\d+$/) }), z.object({ server: z.string(), reset: z.literal(true), previous: z.string() })]);

/**
 * The id under which a server's parts of its previous run are kept (SERVER_ID
 * allows no `~`): a server of its own, never alive, so that every view shows
 * the instances of that run stale until they report again.
 */
export const previousRunOf = (serverId: string) => `${serverId}~previous`;
/** The server a parts' server id belongs to: itself, or the server whose previous run it is. */
export const serverOfParts = (partsServerId: string) => partsServerId.split('~')[0]!;

/**
 * Carries the servers' parts of the breakers' views between the servers
 * (CLUSTER=on). This server upserts the parts that changed into
 * cluster_partials in batches and sends one NOTIFY per batch on
 * `panel_partials` with the batch's highest `seq` (a payload of a few dozen
 * bytes, whatever the number of breakers); the others read the rows of this
 * server newer than the last they read. A server that starts reads the
 * whole table first, so it has the whole picture, not only what changes
 * after. Its rows of an earlier run under the same SERVER_ID (a restart)
 * are kept under previousRunOf(id), a server that is never alive: their
 * instances show stale until they report again, here or elsewhere. The
 * registry's liveness says which parts are shown stale.
 */
export async function startPartialExchange({
  pool,
  databaseUrl,
  serverId,
  aggregate,
  remote,
  registry,
  heartbeatMs,
  publishEveryMs,
  bucketMs,
  now,
  logger,
}: {
  pool: pg.Pool;
  databaseUrl: string;
  serverId: string;
  aggregate: Aggregate;
  remote: RemotePartials;
  registry: Pick<ServerRegistry, 'list'>;
  heartbeatMs: number;
  publishEveryMs: number;
  /**
   * The aggregate's time bucket: at each bucket's start every held breaker's
   * part is written again, so that the others' copies of quiet breakers move
   * on with the recent window, and an emptied table (a Postgres crash) fills again.
   */
  bucketMs: number;
  now: () => number;
  logger: Logger;
}) {
  // The highest seq read per server.
  const readUpTo = new Map<string, bigint>();
  const reading = new Map<string, Promise<void>>();
  const again = new Set<string>();
  // Breakers whose part was published with a body: a part that went away is published as null once.
  const published = new Set<string>();
  let changed = new Set<string>();

  const apply = (server: string, breakerId: string, body: unknown) => {
    if (body === null) return remote.set(server, breakerId, null);
    const parsed = ZPartialBody.safeParse(body);
    if (!parsed.success) return logger.warn({ server, breakerId, issue: parsed.error.issues[0]?.message }, 'cluster partials: unreadable part left out');
    remote.set(server, breakerId, fromBody(parsed.data));
  };

  /** Reads a server's rows newer than the last read; a notice while reading reads once more after. */
  function readServer(server: string): Promise<void> {
    const running = reading.get(server);
    if (running) {
      again.add(server);
      return running;
    }
    const run = (async () => {
      do {
        again.delete(server);
        const { rows } = await pool.query<{ breaker_id: string; seq: string; body: unknown }>(
          'SELECT breaker_id, seq::text, body FROM cluster_partials WHERE server_id = $1 AND seq > $2 ORDER BY seq',
          [server, (readUpTo.get(server) ?? 0n).toString()],
        );
        for (const row of rows) {
          apply(server, row.breaker_id, row.body);
          readUpTo.set(server, BigInt(row.seq));
        }
      } while (again.has(server));
    })()
      .catch((error: unknown) => logger.warn({ err: error, server }, 'cluster partials: reading a server’s parts failed'))
      .finally(() => reading.delete(server));
    reading.set(server, run);
    return run;
  }

  const listener = await listen(databaseUrl, PARTIALS_CHANNEL, (payload) => {
    let notice;
    try {
      notice = ZNotice.parse(JSON.parse(payload));
    } catch {
      return logger.warn('cluster partials: unreadable notice dropped');
    }
    if (notice.server === serverId) return;
    if ('reset' in notice) {
      for (const server of [notice.server, notice.previous]) {
        readUpTo.delete(server);
        remote.clearServer(server);
      }
      void readServer(notice.previous);
    }
    void readServer(notice.server);
  });

  // An earlier run under this id left parts that are not this run's: they become the previous run's (the one before that goes).
  const previous = previousRunOf(serverId);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM cluster_partials WHERE server_id = $1', [previous]);
    await client.query('UPDATE cluster_partials SET server_id = $2 WHERE server_id = $1', [serverId, previous]);
    await client.query(`SELECT pg_notify($1, json_build_object('server', $2::text, 'reset', true, 'previous', $3::text)::text)`, [PARTIALS_CHANNEL, serverId, previous]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const { rows: servers } = await pool.query<{ server_id: string }>('SELECT DISTINCT server_id FROM cluster_partials WHERE server_id <> $1', [serverId]);
  await Promise.all(servers.map((row) => readServer(row.server_id)));

  const checkServers = async () => {
    const rows = await registry.list();
    remote.setServers(new Set(rows.filter((row) => row.alive).map((row) => row.id)), new Set(rows.map((row) => row.id)), serverOfParts);
  };
  await checkServers();

  /** This server's part of a breaker for the others: the instances it holds (catalog-only ones are left to whoever holds them); null when none. */
  function bodyOf(breakerId: string): TPartialBody | null {
    const partial = aggregate.partial(breakerId);
    if (!partial) return null;
    const rows = aggregate.ownInstancesOf(breakerId);
    const held = rows.filter((row) => row.client.transport !== null);
    if (held.length === 0) return null;
    const shown =
      held.length === rows.length
        ? partial
        : withoutRows(
            partial,
            rows.filter((row) => row.client.transport === null),
            held,
          );
    return toBody(shown, held, aggregate.isDemo(breakerId));
  }

  let publishing: Promise<void> = Promise.resolve();
  async function publish(ids: Iterable<string>): Promise<void> {
    const breakerIds: string[] = [];
    const bodies: Array<string | null> = [];
    for (const id of ids) {
      const body = bodyOf(id);
      if (body === null && !published.has(id)) continue;
      if (body === null) published.delete(id);
      else published.add(id);
      breakerIds.push(id);
      bodies.push(body === null ? null : JSON.stringify(body));
    }
    for (let from = 0; from < breakerIds.length; from += UPSERT_BATCH) {
      // The rows and their notice in one statement: the notice goes out when the rows are committed.
      await pool.query(
        `WITH up AS (
           INSERT INTO cluster_partials (server_id, breaker_id, body)
           SELECT $1, t.breaker_id, t.body FROM unnest($2::uuid[], $3::jsonb[]) AS t(breaker_id, body)
           ON CONFLICT (server_id, breaker_id) DO UPDATE SET body = EXCLUDED.body, seq = EXCLUDED.seq
           RETURNING seq)
         SELECT pg_notify($4, json_build_object('server', $1::text, 'seq', max(seq)::text)::text) FROM up`,
        [serverId, breakerIds.slice(from, from + UPSERT_BATCH), bodies.slice(from, from + UPSERT_BATCH), PARTIALS_CHANNEL],
      );
    }
  }

  const run = (ids: () => Iterable<string>) => {
    publishing = publishing.then(() => publish(ids())).catch((error: unknown) => logger.warn({ err: error }, 'cluster partials: publishing failed'));
  };
  const flush = () => {
    if (changed.size === 0) return;
    const ids = changed;
    changed = new Set();
    run(() => ids);
  };
  const timers = [
    setInterval(flush, publishEveryMs),
    setInterval(() => void checkServers().catch((error: unknown) => logger.warn({ err: error }, 'cluster partials: reading the servers failed')), heartbeatMs),
  ];
  for (const timer of timers) timer.unref();
  let refresh: NodeJS.Timeout | undefined;
  const scheduleRefresh = () => {
    refresh = setTimeout(
      () => {
        run(() => aggregate.breakerIds().filter((id) => aggregate.partial(id) !== undefined));
        scheduleRefresh();
      },
      bucketMs - (now() % bucketMs) + REFRESH_AFTER_BUCKET_MS,
    );
    refresh.unref();
  };
  scheduleRefresh();

  return {
    /** Breakers whose own part may have changed (the live publisher's changes): published with the next batch. */
    noteChanged(ids: Iterable<string>): void {
      for (const id of ids) changed.add(id);
    },
    /** Publishes what changed now and waits for it (tests, shutdown). */
    async flush(): Promise<void> {
      flush();
      await publishing;
    },
    async stop(): Promise<void> {
      for (const timer of timers) clearInterval(timer);
      clearTimeout(refresh);
      flush();
      await publishing;
      await listener.close();
    },
  };
}

/** Deletes the parts of servers the registry forgot (a cluster-wide job). */
export async function deletePartsOfForgottenServers(pool: pg.Pool): Promise<number> {
  const result = await pool.query(`DELETE FROM cluster_partials WHERE split_part(server_id, '~', 1) NOT IN (SELECT id FROM servers)`);
  return result.rowCount ?? 0;
}
