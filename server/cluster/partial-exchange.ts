import type pg from 'pg';
import { z } from 'zod';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { Aggregate } from '../aggregate/aggregate';
import { countRow } from '../aggregate/counter-deltas';
import { listen } from '../auth/api-keys';
import type { Logger } from '../logger';
import { heldPart } from './merge-partials';
import { createPartDecoder } from './part-decoder';
import { BatchConfigs, createPartEncoder } from './part-encoder';
import { checkEntry } from './part-check';
import { PART_FORMAT, ZPartBatch, type TPartBatch, type TWireEntry } from './part-wire';
import type { RemotePartials } from './remote-partials';
import type { ServerRegistry } from './server-registry';

export const PARTIALS_CHANNEL = 'panel_partials';
// Past a bucket's start, when a whole batch is written: reports that arrive by then are in it.
const WHOLE_AFTER_BUCKET_MS = 100;
// Parts whose only change is their counters go out this often; a state change goes with the next batch.
const COUNTS_EVERY_MS = 1_000;

const ZNotice = z.union([z.object({ server: z.string(), number: z.number().int() }), z.object({ server: z.string(), reset: z.literal(true), previous: z.string() })]);

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
 * (CLUSTER=on). Each publish is one row of cluster_part_batches holding
 * every part whose state changed since the last (every publishEveryMs) and,
 * once a second, those whose counts alone changed (of each part, only the
 * instance rows that changed),
 * numbered per server, and one NOTIFY on `panel_partials` naming the server
 * and number; the others read that server's batches past the last they
 * applied. At start and at each bucket's start a server writes a whole
 * batch, which replaces what the others had of it and lets a server that
 * joins (or missed a batch) start from there; older batches are deleted.
 * Its batches of an earlier run under the same SERVER_ID (a restart) are
 * kept under previousRunOf(id), a server that is never alive: their
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
  /** The aggregate's time bucket: a whole batch follows each bucket's start, so the others' copies of quiet breakers move on with the recent window. */
  bucketMs: number;
  now: () => number;
  logger: Logger;
}) {
  // The last batch number applied per server, and the decoder of its parts.
  const readUpTo = new Map<string, number>();
  const decoders = new Map<string, ReturnType<typeof createPartDecoder>>();
  const reading = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const decoderOf = (server: string) => {
    let decoder = decoders.get(server);
    if (!decoder) decoders.set(server, (decoder = createPartDecoder()));
    return decoder;
  };
  // Bumped when a server's parts are forgotten (it restarted): a read begun before gives up its rows, which are of the old run.
  const generations = new Map<string, number>();
  const forgetServer = (server: string) => {
    generations.set(server, (generations.get(server) ?? 0) + 1);
    readUpTo.delete(server);
    decoders.delete(server);
    remote.clearServer(server);
  };

  function apply(server: string, number: number, { configs, parts }: { configs: TBreakerConfig[]; parts: readonly unknown[] }, whole: boolean): void {
    const decoder = decoderOf(server);
    const before = whole ? new Set(decoder.breakerIds()) : null;
    if (whole) decoder.forget();
    let unreadable: string | null = null;
    for (const value of parts) {
      const entry = checkEntry(value, configs.length);
      // A part not understood is left out; the server's next whole batch heals it.
      if (typeof entry === 'string') {
        unreadable ??= entry;
        continue;
      }
      const id = entry[0];
      before?.delete(id);
      if (entry.length === 6) {
        // A part with instances whose setting this server never had keeps the previous one until a whole batch.
        const decoded = decoder.decode(entry, configs);
        if (decoded) remote.set(server, id, decoded);
      } else {
        decoder.drop(id);
        remote.set(server, id, null);
      }
    }
    if (unreadable) logger.warn({ server, number, issue: unreadable }, 'cluster partials: unreadable parts left out');
    // A whole batch says every part the server holds: the others went away.
    for (const id of before ?? []) remote.set(server, id, null);
  }

  /** Applies a server's batches past the last applied, from its latest whole one if there is a newer; a notice while reading reads once more after. */
  function readServer(server: string): Promise<void> {
    const running = reading.get(server);
    if (running) {
      again.add(server);
      return running;
    }
    const run = (async () => {
      do {
        again.delete(server);
        const generation = generations.get(server) ?? 0;
        const { rows } = await pool.query<{ number: number; whole: boolean; body: string }>(
          `SELECT number, whole, body FROM cluster_part_batches
            WHERE server_id = $1 AND number > $2
              AND number >= COALESCE((SELECT max(number) FROM cluster_part_batches WHERE server_id = $1 AND whole AND number > $2), 0)
            ORDER BY number`,
          [server, readUpTo.get(server) ?? 0],
        );
        if (generation !== (generations.get(server) ?? 0)) {
          again.add(server);
          continue;
        }
        for (const row of rows) {
          readUpTo.set(server, row.number);
          let batch;
          try {
            batch = ZPartBatch.parse(JSON.parse(row.body));
          } catch (error) {
            logger.warn({ server, number: row.number, issue: error instanceof z.ZodError ? error.issues[0]?.message : String(error) }, 'cluster partials: unreadable batch left out');
            continue;
          }
          apply(server, row.number, batch, row.whole);
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
      forgetServer(notice.server);
      forgetServer(notice.previous);
      void readServer(notice.previous);
    } else if (notice.number <= (readUpTo.get(notice.server) ?? 0)) return;
    void readServer(notice.server);
  });

  // An earlier run under this id left batches that are not this run's: they become the previous run's (the one before that goes).
  const previous = previousRunOf(serverId);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM cluster_part_batches WHERE server_id = $1', [previous]);
    await client.query('UPDATE cluster_part_batches SET server_id = $2 WHERE server_id = $1', [serverId, previous]);
    await client.query(`SELECT pg_notify($1, json_build_object('server', $2::text, 'reset', true, 'previous', $3::text)::text)`, [PARTIALS_CHANNEL, serverId, previous]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const { rows: servers } = await pool.query<{ server_id: string }>('SELECT DISTINCT server_id FROM cluster_part_batches WHERE server_id <> $1', [serverId]);
  await Promise.all(servers.map((row) => readServer(row.server_id)));

  const checkServers = async () => {
    const rows = await registry.list();
    remote.setServers(new Set(rows.filter((row) => row.alive).map((row) => row.id)), new Set(rows.map((row) => row.id)), serverOfParts);
  };
  await checkServers();

  const encoder = createPartEncoder();
  // Breakers whose part was published: a part that went away is published as null once.
  const published = new Set<string>();
  let changed = new Set<string>();
  let countsChanged = new Set<string>();
  let countsSentAt = now();
  let number = 0;
  let lastWhole = 0;
  // A batch that could not be written leaves the others short of rows: the next one is whole.
  let wholeNext = true;

  // A part is encoded at once: every partial's window counts into one scratch row.
  const window = countRow();
  /** This server's part of a breaker for the others (merge-partials.ts heldPart); null when it holds none of its instances. */
  function partOf(breakerId: string, configs: BatchConfigs) {
    const partial = aggregate.partial(breakerId, window);
    const part = partial && heldPart(partial, aggregate.ownInstancesOf(breakerId));
    return part ? encoder.encode(part.partial, part.rows, aggregate.isDemo(breakerId), configs) : null;
  }

  async function publish(ids: Iterable<string>, whole: boolean): Promise<void> {
    if (whole) {
      encoder.forget();
      published.clear();
    }
    const parts: TWireEntry[] = [];
    const configs = new BatchConfigs();
    for (const id of ids) {
      const part = partOf(id, configs);
      if (part) {
        published.add(id);
        parts.push(part);
      } else if (published.delete(id)) {
        encoder.drop(id);
        parts.push([id]);
      }
    }
    if (!whole && parts.length === 0) return;
    const at = ++number;
    // The batch and its notice in one statement: the notice goes out when the batch is committed.
    await pool.query(
      `WITH batch AS (INSERT INTO cluster_part_batches (server_id, number, whole, body) VALUES ($1, $2, $3, $4) RETURNING number)
       SELECT pg_notify($5, json_build_object('server', $1::text, 'number', number)::text) FROM batch`,
      [serverId, at, whole, JSON.stringify({ format: PART_FORMAT, configs: configs.list, parts } satisfies TPartBatch), PARTIALS_CHANNEL],
    );
    if (!whole) return;
    // Readers start from the latest whole batch; the one before stays for a reader still on its way.
    await pool.query('DELETE FROM cluster_part_batches WHERE server_id = $1 AND number < $2', [serverId, lastWhole]);
    lastWhole = at;
  }

  let publishing: Promise<void> = Promise.resolve();
  const run = (ids: () => Iterable<string>, whole: boolean) => {
    publishing = publishing
      .then(() => publish(ids(), whole))
      .catch((error: unknown) => {
        wholeNext = true;
        logger.warn({ err: error }, 'cluster partials: publishing failed');
      });
  };
  const heldBreakers = () => aggregate.breakerIds().filter((id) => aggregate.partial(id, window) !== undefined);
  const flush = () => {
    if (wholeNext) {
      wholeNext = false;
      changed = new Set();
      countsChanged = new Set();
      countsSentAt = now();
      return run(heldBreakers, true);
    }
    const ids = changed;
    changed = new Set();
    if (now() - countsSentAt >= COUNTS_EVERY_MS) {
      countsSentAt = now();
      for (const id of countsChanged) ids.add(id);
      countsChanged = new Set();
    } else for (const id of ids) countsChanged.delete(id);
    if (ids.size > 0) run(() => ids, false);
  };
  flush();
  await publishing;
  const timers = [
    setInterval(flush, publishEveryMs),
    setInterval(() => void checkServers().catch((error: unknown) => logger.warn({ err: error }, 'cluster partials: reading the servers failed')), heartbeatMs),
  ];
  for (const timer of timers) timer.unref();
  let refresh: NodeJS.Timeout | undefined;
  const scheduleWhole = () => {
    refresh = setTimeout(
      () => {
        wholeNext = true;
        flush();
        scheduleWhole();
      },
      bucketMs - (now() % bucketMs) + WHOLE_AFTER_BUCKET_MS,
    );
    refresh.unref();
  };
  scheduleWhole();

  return {
    /** Breakers whose own part changed (the live publisher's changes): a state change goes with the next batch, counts within COUNTS_EVERY_MS. */
    noteChanged(ids: Iterable<string>, moved: 'state' | 'counts'): void {
      for (const id of ids) (moved === 'state' ? changed : countsChanged).add(id);
    },
    /** Publishes everything that changed now and waits for it (tests, shutdown). */
    async flush(): Promise<void> {
      countsSentAt = -Infinity;
      flush();
      await publishing;
    },
    async stop(): Promise<void> {
      for (const timer of timers) clearInterval(timer);
      clearTimeout(refresh);
      countsSentAt = -Infinity;
      flush();
      await publishing;
      await listener.close();
    },
  };
}

/** Deletes the batches of servers the registry forgot (a cluster-wide job). */
export async function deletePartsOfForgottenServers(pool: pg.Pool): Promise<number> {
  const result = await pool.query(`DELETE FROM cluster_part_batches WHERE split_part(server_id, '~', 1) NOT IN (SELECT id FROM servers)`);
  return result.rowCount ?? 0;
}
