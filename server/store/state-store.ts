import { BUCKET_ROWS_PER_STATEMENT } from './bucket-store';
import type { Queryable } from './queryable';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TWindowSnapshot } from '../../lib/protocol/breaker-report.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';

export interface PairStateRow {
  breakerId: string;
  instanceId: string;
  state: TBreakerState;
  wouldBe: TBreakerState | null;
  stateSince: number;
  config: TBreakerConfig | null;
  window: TWindowSnapshot | null;
}

/** The last known state of each breaker on each instance, kept so a restarted server starts from it. */
export interface StateStore {
  upsert(rows: PairStateRow[]): Promise<void>;
}

export function createStateStore(pool: Queryable): StateStore {
  return {
    async upsert(all) {
      // In chunks, like the bucket writes: a fleet's first flush holds every pair's state.
      for (let start = 0; start < all.length; start += BUCKET_ROWS_PER_STATEMENT) {
        const rows = all.slice(start, start + BUCKET_ROWS_PER_STATEMENT);
        await pool.query(
          `INSERT INTO breaker_instance_states (breaker_id, instance_id, state, would_be, state_since, config, failure_rate, slow_call_rate, updated_at)
           SELECT breaker_id, instance_id, state::"BreakerState", would_be::"BreakerState", state_since, COALESCE(config, '{}'::jsonb), failure_rate, slow_call_rate, now()
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::float8[], $8::float8[])
                AS s(breaker_id, instance_id, state, would_be, state_since, config, failure_rate, slow_call_rate)
           ON CONFLICT (breaker_id, instance_id) DO UPDATE SET state = EXCLUDED.state, would_be = EXCLUDED.would_be,
             state_since = EXCLUDED.state_since, failure_rate = EXCLUDED.failure_rate, slow_call_rate = EXCLUDED.slow_call_rate,
             config = CASE WHEN EXCLUDED.config = '{}'::jsonb THEN breaker_instance_states.config ELSE EXCLUDED.config END,
             updated_at = now()`,
          [
            rows.map((row) => row.breakerId),
            rows.map((row) => row.instanceId),
            rows.map((row) => row.state),
            rows.map((row) => row.wouldBe),
            rows.map((row) => new Date(row.stateSince)),
            rows.map((row) => (row.config ? JSON.stringify(row.config) : null)),
            rows.map((row) => row.window?.failureRate ?? null),
            rows.map((row) => row.window?.slowCallRate ?? null),
          ],
        );
      }
    },
  };
}
