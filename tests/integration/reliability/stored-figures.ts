import pg from 'pg';
import { OUTCOME_KINDS } from '../../../server/aggregate/outcome-kinds';
import type { DrainedService } from '../../fixtures/sdk-service-process';

export interface StoredFigures {
  /** Per run: how many rows each transition sequence number has. */
  transitions: Map<string, Map<number, number>>;
  /** A breaker's outcome counts over every stored 10 s bucket. */
  counters: Record<string, number>;
}

/** What the panel stored for a breaker and the runs that reported on it, read straight from Postgres. */
export async function readStoredFigures(databaseUrl: string, breaker: string): Promise<StoredFigures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const transitions = new Map<string, Map<number, number>>();
    const rows = await client.query<{ run_id: string; sequence: string; copies: number }>(
      'SELECT t.run_id, t.sequence, count(*)::int AS copies FROM transitions t JOIN breakers b ON b.id = t.breaker_id WHERE b.name = $1 AND t.run_id IS NOT NULL GROUP BY 1, 2',
      [breaker],
    );
    for (const row of rows.rows) {
      const run = transitions.get(row.run_id) ?? new Map<number, number>();
      run.set(Number(row.sequence), row.copies);
      transitions.set(row.run_id, run);
    }
    const sums = OUTCOME_KINDS.map((kind) => `coalesce(sum(k.${kind}), 0)::float8 AS ${kind}`).join(', ');
    const counted = await client.query<Record<string, number>>(
      `SELECT ${sums} FROM breaker_buckets k JOIN breakers b ON b.id = k.breaker_id WHERE b.name = $1 AND k.resolution_secs = 10`,
      [breaker],
    );
    return { transitions, counters: counted.rows[0]! };
  } finally {
    await client.end();
  }
}

/** The services' counters added up, in the stored shape. */
export function reportedCounters(services: DrainedService[]): Record<string, number> {
  return Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, services.reduce((sum, service) => sum + (service.counters[kind] ?? 0), 0)]));
}

/**
 * The transitions of a drained service that are missing from the store or
 * stored more than once: both must be empty. Every transition up to the
 * service's last sequence number was acknowledged (none was pending).
 */
export function transitionFaults(service: DrainedService, stored: StoredFigures): { missing: number[]; duplicated: number[] } {
  const run = stored.transitions.get(service.runId) ?? new Map<number, number>();
  const missing: number[] = [];
  const duplicated: number[] = [];
  for (let sequence = 1; sequence <= service.status.transitionSequence; sequence++) {
    const copies = run.get(sequence) ?? 0;
    if (copies === 0) missing.push(sequence);
    if (copies > 1) duplicated.push(sequence);
  }
  return { missing, duplicated };
}
