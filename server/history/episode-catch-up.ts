import type pg from 'pg';
import { inTransaction } from '../store/queryable';
import { EPISODE_CTES } from './episode-sql';

/**
 * How far back, in transition ids, each catch-up looks again: ids are taken
 * when a row is inserted but become visible when its transaction commits, so
 * a row may appear behind the last id seen. Reporters store a message's
 * transitions in one short statement; a thousand ids is far more than the
 * inserts in flight at once. Looking again is harmless: a breaker's episodes
 * are recomputed, not added to.
 */
const RESCAN_IDS = 1_000;
/** After this long without a new id, no late commit is expected any more: reads stop rescanning. */
const SETTLE_SECONDS = 10;

/**
 * Brings trip_episodes up to date with the transitions stored since the last
 * catch-up, so that the incidents of a month are read, not recomputed from a
 * million transitions. For each breaker with new transitions it drops the
 * episodes that ended after the last one ending before the earliest new
 * transition (late, replayed transitions can change those) and replays the
 * breaker from just after that end, where no instance is tripped. Only
 * complete episodes are stored; an open one is always computed live.
 * Serialised by an advisory lock, so concurrent requests and server
 * processes do the work once.
 */
export async function catchUpEpisodes(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('trip_episodes'))`);
    const progress = await client.query<{ last_id: string; settled: boolean }>(
      `SELECT last_transition_id::text AS last_id, updated_at < now() - make_interval(secs => $1) AS settled FROM trip_episode_progress WHERE id = 1`,
      [SETTLE_SECONDS],
    );
    const lastId = BigInt(progress.rows[0]?.last_id ?? '0');
    const newest = await client.query<{ max: string | null }>('SELECT max(id)::text AS max FROM transitions');
    const maxId = BigInt(newest.rows[0]?.max ?? '0');
    // Nothing new, and long enough since the last look for late commits to have landed: nothing to do.
    if (maxId <= lastId && (progress.rows[0]?.settled ?? true)) return;
    const since = (lastId > BigInt(RESCAN_IDS) ? lastId - BigInt(RESCAN_IDS) : 0n).toString();
    await client.query(
      `CREATE TEMP TABLE episode_windows ON COMMIT DROP AS
       WITH touched AS (SELECT breaker_id, min(at) AS first_at FROM transitions WHERE id > $1 AND instance_id IS NOT NULL GROUP BY breaker_id)
       SELECT t.breaker_id,
              COALESCE((SELECT max(e.end_at) FROM trip_episodes e WHERE e.breaker_id = t.breaker_id AND e.end_at < t.first_at) + interval '1 millisecond', TIMESTAMPTZ 'epoch') AS win_from,
              TIMESTAMPTZ 'infinity' AS win_to, true AS probe
       FROM touched t`,
      [since],
    );
    await client.query('DELETE FROM trip_episodes e USING episode_windows w WHERE e.breaker_id = w.breaker_id AND e.end_at >= w.win_from');
    await client.query(
      `WITH windows AS (SELECT * FROM episode_windows), ${EPISODE_CTES}
       INSERT INTO trip_episodes (breaker_id, start_at, end_at, duration_ms, instance_ids, peak_failure_rate, peak_slow_call_rate, openings)
       SELECT breaker_id, start_at, end_at, (extract(epoch FROM end_at - start_at) * 1000)::bigint, instance_ids, peak_failure_rate, peak_slow_call_rate, openings
       FROM live_episodes WHERE end_at IS NOT NULL AND NOT began_before
       ON CONFLICT DO NOTHING`,
    );
    await client.query(
      `INSERT INTO trip_episode_progress (id, last_transition_id) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET last_transition_id = EXCLUDED.last_transition_id, updated_at = now()`,
      [maxId.toString()],
    );
  });
}
