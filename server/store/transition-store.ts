import type { Queryable } from './queryable';
import type { TBreakerState, TTransitionCause } from '../../lib/protocol/breaker-state.js';

/** A transition reported by an instance: (instanceId, runId, sequence) identifies it. */
export interface ReportedTransitionRow {
  serviceId: string;
  breakerId: string;
  instanceId: string;
  runId: string;
  sequence: number;
  from: TBreakerState;
  to: TBreakerState;
  wouldBe: TBreakerState;
  cause: TTransitionCause;
  failureRate: number;
  slowCallRate: number;
  at: Date;
  commandId: string | null;
}

export interface TransitionStore {
  /**
   * Stores reported transitions in one statement, dropping duplicates by
   * (instance, run, sequence). Returns the id of each newly stored row by its
   * key `instanceId|runId|sequence`; a key missing from the map was a duplicate.
   */
  insertReported(rows: ReportedTransitionRow[]): Promise<Map<string, string>>;
}

export const transitionKey = (instanceId: string, runId: string, sequence: number) => `${instanceId}|${runId}|${sequence}`;

export function createTransitionStore(pool: Queryable): TransitionStore {
  return {
    async insertReported(rows) {
      if (rows.length === 0) return new Map();
      const column = <T>(pick: (row: ReportedTransitionRow) => T) => rows.map(pick);
      const result = await pool.query<{ id: string; instance_id: string; run_id: string; sequence: string }>(
        `INSERT INTO transitions (service_id, breaker_id, instance_id, run_id, sequence, from_state, to_state, would_be, cause,
                                  failure_rate, slow_call_rate, at, command_id)
         SELECT service_id, breaker_id, instance_id, run_id, sequence, from_state::"BreakerState", to_state::"BreakerState",
                would_be::"BreakerState", cause::"TransitionCause", failure_rate, slow_call_rate, at, command_id
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::float8[], $11::float8[], $12::timestamptz[], $13::text[])
              AS t(service_id, breaker_id, instance_id, run_id, sequence, from_state, to_state, would_be, cause,
                   failure_rate, slow_call_rate, at, command_id)
         ON CONFLICT (instance_id, run_id, sequence) DO NOTHING
         RETURNING id::text, instance_id, run_id, sequence::text`,
        [
          column((row) => row.serviceId),
          column((row) => row.breakerId),
          column((row) => row.instanceId),
          column((row) => row.runId),
          column((row) => row.sequence),
          column((row) => row.from),
          column((row) => row.to),
          column((row) => row.wouldBe),
          column((row) => row.cause),
          column((row) => row.failureRate),
          column((row) => row.slowCallRate),
          column((row) => row.at),
          column((row) => row.commandId),
        ],
      );
      return new Map(result.rows.map((row) => [transitionKey(row.instance_id, row.run_id, Number(row.sequence)), row.id]));
    },
  };
}
