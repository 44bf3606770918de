import type { TIncident, TIncidentQuery, TIncidentSummary, TTrippedBreaker } from '../../lib/history/incidents.js';
import type { Queryable } from '../store/queryable';
import { EPISODE_CTES } from './episode-sql';

/** An incident as the SQL finds it, before its operator actions are attached. */
export type IncidentRow = Omit<TIncident, 'actions'>;

// Whitelisted: the sort columns (and whether a scope filter applies) are the only SQL built from the query.
const STORED_ORDER: Record<TIncidentQuery['sort'], string> = {
  start: 'e.start_at',
  duration: 'e.duration_ms',
  instances: 'cardinality(e.instance_ids)',
  peakFailureRate: 'e.peak_failure_rate',
  breaker: '(SELECT ROW(s.name, b.name) FROM breakers b JOIN services s ON s.id = b.service_id WHERE b.id = e.breaker_id)',
};
const ORDER: Record<TIncidentQuery['sort'], string> = {
  start: 'start_at',
  duration: 'duration_ms',
  instances: 'cardinality(instance_ids)',
  peakFailureRate: 'peak_failure_rate',
  breaker: 'ROW(service, breaker)',
};

/**
 * The trip episodes of the breakers in scope over [from, to), and their
 * summary. Episodes wholly inside the range are read from trip_episodes
 * (kept current by catchUpEpisodes, which the caller runs first); per
 * breaker, only what lies before its first stored episode of the range (an
 * episode that began before `from`) and after its last one (an episode still
 * open, or running past `to`) is replayed from transitions — two short
 * windows instead of the whole month.
 */
export async function queryIncidents(db: Queryable, query: TIncidentQuery): Promise<{ summary: TIncidentSummary; total: number; rows: IncidentRow[] }> {
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  // Without a filter every breaker is in scope: skipping the semi-join keeps the month-long scan a plain one.
  const inScope = query.service || query.breaker ? 'AND e.breaker_id IN (SELECT id FROM scope)' : '';
  const result = await db.query<{
    summary: { trips: number; totalOpenMs: number; meanTimeToRecoveryMs: number | null };
    most_tripped: TTrippedBreaker[] | null;
    total: number;
    page: IncidentRow[] | null;
  }>(
    `WITH scope AS (
       SELECT b.id, b.name, s.name AS service FROM breakers b JOIN services s ON s.id = b.service_id
       WHERE ($3::text IS NULL OR s.name = $3) AND ($4::uuid IS NULL OR b.id = $4)),
     -- One pass over the stored episodes of the range: per breaker, what the summary needs and where the live windows go.
     stored AS (
       SELECT e.breaker_id, count(*)::bigint AS trips, sum(e.duration_ms)::bigint AS open_ms, count(*) FILTER (WHERE e.duration_ms >= $5)::bigint AS listed,
              min(e.start_at) AS first_start, max(e.end_at) AS last_end
       FROM trip_episodes e
       WHERE e.start_at >= $1 AND e.end_at < $2 ${inScope} GROUP BY e.breaker_id),
     windows AS (
       SELECT scope.id AS breaker_id, $1::timestamptz AS win_from, COALESCE(st.first_start, $2::timestamptz) AS win_to, true AS probe
       FROM scope LEFT JOIN stored st ON st.breaker_id = scope.id
       UNION ALL
       -- Just after a stored episode ended no instance is tripped: no need to probe.
       SELECT breaker_id, last_end + interval '1 millisecond', $2::timestamptz, false FROM stored),
     ${EPISODE_CTES},
     live AS (SELECT *, (extract(epoch FROM COALESCE(end_at, $2) - start_at) * 1000)::bigint AS duration_ms FROM live_episodes),
     per_breaker AS (
       SELECT breaker_id, sum(trips)::bigint AS trips, sum(open_ms)::bigint AS open_ms, sum(listed)::bigint AS listed,
              sum(ended)::bigint AS ended, sum(ended_ms)::bigint AS ended_ms
       FROM (SELECT breaker_id, trips, open_ms, listed, trips AS ended, open_ms AS ended_ms FROM stored
             UNION ALL
             SELECT breaker_id, 1, duration_ms, (duration_ms >= $5)::int, (end_at IS NOT NULL)::int, CASE WHEN end_at IS NOT NULL THEN duration_ms ELSE 0 END FROM live) x
       GROUP BY breaker_id),
     -- The stored part of the first page straight off the start_at or duration_ms index, named after the LIMIT.
     first_stored AS (
       SELECT e.breaker_id, e.start_at, e.end_at, e.duration_ms, e.instance_ids, e.peak_failure_rate, e.peak_slow_call_rate, e.openings, false AS began_before
       FROM trip_episodes e
       WHERE e.start_at >= $1 AND e.end_at < $2 AND e.duration_ms >= $5 ${inScope}
       ORDER BY ${STORED_ORDER[query.sort]} ${direction} NULLS LAST, e.start_at ${direction}, e.breaker_id LIMIT $6),
     candidates AS (
       SELECT c.*, scope.service, scope.name AS breaker
       FROM (SELECT * FROM first_stored UNION ALL
             SELECT breaker_id, start_at, end_at, duration_ms, instance_ids, peak_failure_rate, peak_slow_call_rate, openings, began_before FROM live WHERE duration_ms >= $5) c
       JOIN scope ON scope.id = c.breaker_id)
     SELECT
       (SELECT json_build_object('trips', COALESCE(sum(trips), 0), 'totalOpenMs', COALESCE(sum(open_ms), 0),
                                 'meanTimeToRecoveryMs', CASE WHEN sum(ended) > 0 THEN round(sum(ended_ms)::numeric / sum(ended)) END)
        FROM per_breaker) AS summary,
       (SELECT json_agg(m) FROM (
          SELECT p.breaker_id AS "breakerId", scope.service, scope.name AS breaker, p.trips::int AS trips, p.open_ms AS "openMs"
          FROM per_breaker p JOIN scope ON scope.id = p.breaker_id ORDER BY p.trips DESC, p.open_ms DESC, scope.service, scope.name LIMIT 5) m) AS most_tripped,
       (SELECT COALESCE(sum(listed), 0)::int FROM per_breaker) AS total,
       (SELECT json_agg(p) FROM (
          SELECT breaker_id AS "breakerId", service, breaker, (extract(epoch FROM start_at) * 1000)::bigint AS start,
                 (extract(epoch FROM end_at) * 1000)::bigint AS "end", duration_ms AS "durationMs",
                 ARRAY(SELECT i.name FROM instances i WHERE i.id = ANY(c.instance_ids) ORDER BY i.name) AS instances,
                 peak_failure_rate AS "peakFailureRate", peak_slow_call_rate AS "peakSlowCallRate", openings,
                 began_before AS "beganBeforeRange", end_at IS NULL AS "openAtEnd"
          FROM candidates c ORDER BY ${ORDER[query.sort]} ${direction} NULLS LAST, start_at ${direction}, breaker_id LIMIT $6) p) AS page`,
    [new Date(query.from), new Date(query.to), query.service ?? null, query.breaker ?? null, query.minDurationMs ?? 0, query.limit],
  );
  const row = result.rows[0]!;
  return {
    summary: {
      trips: Number(row.summary.trips),
      totalOpenMs: Number(row.summary.totalOpenMs),
      meanTimeToRecoveryMs: row.summary.meanTimeToRecoveryMs === null ? null : Number(row.summary.meanTimeToRecoveryMs),
      mostTripped: (row.most_tripped ?? []).map((item) => ({ ...item, openMs: Number(item.openMs) })),
    },
    total: row.total,
    rows: (row.page ?? []).map((item) => ({ ...item, start: Number(item.start), end: item.end === null ? null : Number(item.end), durationMs: Number(item.durationMs) })),
  };
}
