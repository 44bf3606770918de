import type pg from 'pg';

/** The shape of the generated history. */
export interface HistoryShape {
  services: number;
  breakersPerService: number;
  instancesPerService: number;
  days: number;
  /** Trip cycles per (breaker, instance) over the whole range; each instance sits out one cycle in three. */
  cycles: number;
}

export const DEFAULT_SHAPE: HistoryShape = { services: 20, breakersPerService: 50, instancesPerService: 3, days: 30, cycles: 170 };

/**
 * Fills an empty, migrated database with `days` of history ending at `now`,
 * all in set-based SQL (generate_series), never row by row. Per cycle, every
 * breaker trips on two of its three instances a few seconds apart
 * (overlapping outages: one incident), recovers after 30 s, and flaps
 * (HALF_OPEN → OPEN again) one cycle in five. Also: each instance's runs
 * (a new `version` every five days, rolled out instance by instance), an
 * operator action per breaker every three days with its audit row, 1 h
 * buckets for the whole range and 1 min buckets for its last six hours.
 */
export async function generateHistory(db: pg.Client, shape: HistoryShape, now: number, log: (message: string) => void): Promise<void> {
  const start = new Date(now - shape.days * 86_400_000);
  const periodMs = (shape.days * 86_400_000) / shape.cycles;
  const timed = async (what: string, sql: string, params: unknown[] = []) => {
    const began = performance.now();
    const result = await db.query(sql, params);
    log(`${what}: ${result.rowCount ?? 0} rows in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  };

  await timed('services', `INSERT INTO services (name, created_at) SELECT 'svc-' || lpad(s::text, 2, '0'), $2 FROM generate_series(0, $1 - 1) s`, [shape.services, start]);
  await timed(
    'instances',
    `INSERT INTO instances (service_id, name, labels, run_id, started_at, first_seen_at, last_seen_at)
     SELECT s.id, s.name || '-i' || i, jsonb_build_object('version', 'v1.' || ($4 / 5)::int), 'bench-run', $2, $2, $3
     FROM services s CROSS JOIN generate_series(0, $1 - 1) i`,
    [shape.instancesPerService, start, new Date(now), shape.days],
  );
  await timed('breakers', `INSERT INTO breakers (service_id, name, created_at) SELECT s.id, 'dep-' || lpad(b::text, 3, '0'), $2 FROM services s CROSS JOIN generate_series(0, $1 - 1) b`, [
    shape.breakersPerService,
    start,
  ]);
  await timed(
    'breaker_instance_states',
    `INSERT INTO breaker_instance_states (breaker_id, instance_id, state, state_since)
     SELECT b.id, i.id, 'CLOSED', $1 FROM breakers b JOIN instances i ON i.service_id = b.service_id`,
    [new Date(now)],
  );
  await timed(
    'instance_runs',
    `INSERT INTO instance_runs (instance_id, run_id, labels, started_at)
     SELECT i.id, 'run-' || d, jsonb_build_object('version', 'v1.' || (d / 5)), $1::timestamptz + make_interval(days => d, mins => (row_number() OVER (PARTITION BY i.service_id, d ORDER BY i.name))::int * 4)
     FROM instances i CROSS JOIN generate_series(0, $2 - 1, 5) d`,
    [start, shape.days],
  );
  await timed(
    'transitions',
    `WITH pairs AS (
       SELECT b.service_id, b.id AS breaker_id, i.id AS instance_id,
              (row_number() OVER (ORDER BY b.id, i.id))::int AS pair_index,
              (row_number() OVER (PARTITION BY b.id ORDER BY i.name) - 1)::int AS instance_index,
              (row_number() OVER (PARTITION BY i.id ORDER BY b.name))::int AS breaker_index
       FROM breakers b JOIN instances i ON i.service_id = b.service_id),
     steps(j, from_state, to_state, cause, offset_ms, flap) AS (VALUES
       (0, 'CLOSED', 'OPEN', 'failure_rate', 0, NULL),
       (1, 'OPEN', 'HALF_OPEN', 'open_timeout_elapsed', 30000, NULL),
       (2, 'HALF_OPEN', 'CLOSED', 'trials_succeeded', 31000, false),
       (3, 'HALF_OPEN', 'OPEN', 'trial_failed', 31000, true),
       (4, 'OPEN', 'HALF_OPEN', 'open_timeout_elapsed', 61000, true),
       (5, 'HALF_OPEN', 'CLOSED', 'trials_succeeded', 62000, true))
     INSERT INTO transitions (service_id, breaker_id, instance_id, run_id, sequence, from_state, to_state, cause, failure_rate, slow_call_rate, at, received_at)
     SELECT p.service_id, p.breaker_id, p.instance_id, 'bench-run', p.breaker_index * 100000 + c * 10 + s.j,
            s.from_state::"BreakerState", s.to_state::"BreakerState", s.cause::"TransitionCause",
            CASE WHEN s.to_state = 'OPEN' THEN 50 + (c * 7 + p.pair_index) % 50 END, CASE WHEN s.to_state = 'OPEN' THEN (c * 3 + p.pair_index) % 30 END,
            t0 + s.offset_ms * interval '1 millisecond', t0 + s.offset_ms * interval '1 millisecond'
     FROM pairs p
     CROSS JOIN generate_series(0, $2 - 1) c
     CROSS JOIN LATERAL (SELECT $1::timestamptz + (c * $3::float8 + (p.pair_index % 997) * 1000 + p.instance_index * 7000) * interval '1 millisecond' AS t0) t
     JOIN steps s ON s.flap IS NULL OR s.flap = (c % 5 = 0)
     WHERE (c + p.instance_index) % 3 <> 0`,
    [start, shape.cycles, periodMs],
  );
  await timed(
    'operator actions (commands + audit)',
    `WITH made AS (
       INSERT INTO commands (breaker_id, action, scope, reason, created_by_id, created_at)
       SELECT b.id, 'trip', '{"all": true}', 'bench: isolate dep-' || b.name || ', INC-' || d, (SELECT id FROM users ORDER BY created_at LIMIT 1),
              $1::timestamptz + make_interval(days => d, hours => (abs(hashtext(b.name)) % 20))
       FROM breakers b CROSS JOIN generate_series(1, $2 - 1, 3) d
       RETURNING id, breaker_id, reason, created_at)
     INSERT INTO audit_events (at, actor_email, action, target_type, target_id, breaker_id, command_id, reason)
     SELECT created_at, 'bench@example.test', 'breaker.trip', 'breaker', breaker_id::text, breaker_id, id, reason FROM made`,
    [start, shape.days],
  );
  await timed(
    '1 h buckets',
    `INSERT INTO breaker_buckets (breaker_id, resolution_secs, bucket_start, success, failure, timeout, slow)
     SELECT b.id, 3600, h, 30000 + (abs(hashtext(b.name)) % 5000), 200 + (extract(hour FROM h)::int * 13) % 300, 10, 40
     FROM breakers b CROSS JOIN generate_series(date_trunc('hour', $1::timestamptz), $2::timestamptz - interval '1 hour', interval '1 hour') h`,
    [start, new Date(now)],
  );
  await timed(
    '1 min buckets (last 6 h)',
    `INSERT INTO breaker_buckets (breaker_id, resolution_secs, bucket_start, success, failure, timeout, slow)
     SELECT b.id, 60, m, 500 + (abs(hashtext(b.name)) % 100), 3 + (extract(minute FROM m)::int % 7), 0, 1
     FROM breakers b CROSS JOIN generate_series(date_trunc('minute', $1::timestamptz - interval '6 hours'), $1::timestamptz - interval '1 minute', interval '1 minute') m`,
    [new Date(now)],
  );
  await timed('VACUUM ANALYZE', 'VACUUM ANALYZE');
}
