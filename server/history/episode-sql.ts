/** States in which an instance counts as tripped, as an SQL list. */
export const TRIPPED_SQL = `('OPEN', 'HALF_OPEN', 'FORCED_OPEN')`;

/**
 * CTEs that cut transitions into trip episodes, with the same rules as
 * lib/history/episodes.ts (the unit-tested reference; the integration test
 * checks both agree). They read a `windows(breaker_id, win_from, win_to,
 * probe)` CTE that the caller defines: each window is replayed on its own.
 * Each transition moves its breaker's count of tripped instances by
 * tripped(to) − tripped(from); the count starts at the number of instances
 * tripped at `win_from` (each pair's last transition before it, else its
 * first transition's `from`; only probed where `probe`, because a window
 * that starts right after an episode ended starts at zero); an episode runs
 * from a 0 → n step to the next n → 0. One pass in (breaker_id, at) order.
 *
 * Ends with `live_episodes(breaker_id, start_at, end_at, instance_ids,
 * peak_failure_rate, peak_slow_call_rate, openings, began_before)`.
 */
export const EPISODE_CTES = `
  window_starts AS (
    SELECT w.breaker_id, w.win_from, p.instance_id FROM windows w JOIN breaker_instance_states p ON p.breaker_id = w.breaker_id
    WHERE w.probe AND COALESCE(
      (SELECT t.to_state FROM transitions t WHERE t.breaker_id = p.breaker_id AND t.instance_id = p.instance_id AND t.at < w.win_from ORDER BY t.at DESC, t.id DESC LIMIT 1),
      (SELECT t.from_state FROM transitions t WHERE t.breaker_id = p.breaker_id AND t.instance_id = p.instance_id AND t.at >= w.win_from AND t.at < w.win_to ORDER BY t.at, t.id LIMIT 1)
    ) IN ${TRIPPED_SQL}),
  initial AS (SELECT breaker_id, win_from, count(*)::int AS tripped, array_agg(instance_id) AS instance_ids FROM window_starts GROUP BY breaker_id, win_from),
  steps AS (
    SELECT t.breaker_id, w.win_from, t.instance_id, t.at, t.id, t.to_state, t.failure_rate, t.slow_call_rate, COALESCE(i.tripped, 0) AS initial_open,
           COALESCE(i.tripped, 0) + sum((t.to_state IN ${TRIPPED_SQL})::int - (COALESCE(t.from_state, 'CLOSED') IN ${TRIPPED_SQL})::int)
             OVER (PARTITION BY t.breaker_id, w.win_from ORDER BY t.at, t.id) AS open_after
    FROM windows w JOIN transitions t ON t.breaker_id = w.breaker_id AND t.at >= w.win_from AND t.at < w.win_to
    LEFT JOIN initial i ON i.breaker_id = w.breaker_id AND i.win_from = w.win_from
    WHERE t.instance_id IS NOT NULL),
  marked AS (SELECT *, lag(open_after, 1, initial_open::bigint) OVER (PARTITION BY breaker_id, win_from ORDER BY at, id) AS open_before FROM steps),
  numbered AS (SELECT *, sum((open_before = 0 AND open_after > 0)::int) OVER (PARTITION BY breaker_id, win_from ORDER BY at, id) AS episode FROM marked),
  grouped AS (
    SELECT breaker_id, win_from, episode, min(at) FILTER (WHERE open_before = 0) AS started, max(at) FILTER (WHERE open_after = 0) AS ended,
           max(failure_rate) FILTER (WHERE to_state = 'OPEN') AS peak_failure_rate, max(slow_call_rate) FILTER (WHERE to_state = 'OPEN') AS peak_slow_call_rate,
           count(*) FILTER (WHERE to_state = 'OPEN')::int AS openings,
           array_agg(DISTINCT instance_id) FILTER (WHERE to_state IN ${TRIPPED_SQL}) AS instance_ids
    FROM numbered WHERE open_before > 0 OR open_after > 0 GROUP BY breaker_id, win_from, episode
    UNION ALL
    -- Tripped through the whole window, without a single transition inside.
    SELECT i.breaker_id, i.win_from, 0, NULL, NULL, NULL, NULL, 0, ARRAY[]::uuid[] FROM initial i JOIN windows w ON w.breaker_id = i.breaker_id AND w.win_from = i.win_from
    WHERE NOT EXISTS (SELECT 1 FROM transitions t WHERE t.breaker_id = i.breaker_id AND t.instance_id IS NOT NULL AND t.at >= w.win_from AND t.at < w.win_to)),
  live_episodes AS (
    SELECT g.breaker_id, COALESCE(g.started, g.win_from) AS start_at, g.ended AS end_at,
           CASE WHEN g.started IS NULL THEN ARRAY(SELECT DISTINCT unnest(COALESCE(g.instance_ids, ARRAY[]::uuid[]) || COALESCE(i.instance_ids, ARRAY[]::uuid[]))) ELSE g.instance_ids END AS instance_ids,
           g.peak_failure_rate, g.peak_slow_call_rate, g.openings, g.started IS NULL AS began_before
    FROM grouped g LEFT JOIN initial i ON i.breaker_id = g.breaker_id AND i.win_from = g.win_from)`;
