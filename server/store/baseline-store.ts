import type { Queryable } from './queryable';

/** One instance's counters as far as they are stored: `totals` holds `widths[i]` numbers for `breakerIds[i]`, one breaker after the other. */
export interface CounterBaselineRow {
  instanceId: string;
  runId: string;
  breakerIds: string[];
  widths: number[];
  totals: Float64Array;
}

// The breaker ids and widths go as text literals, the totals as one binary parameter: a few hundred rows keep a statement near a megabyte.
export const BASELINE_ROWS_PER_STATEMENT = 250;

/**
 * The rows' totals one after the other as big-endian float64s (the layout of Postgres's float8send), and where each
 * row's bytes lie. One Buffer travels as a binary parameter; an array of bytea would travel as hex text, twice the
 * bytes, built as strings on the main thread.
 */
function totalsBytes(rows: readonly CounterBaselineRow[]): { bytes: Buffer; starts: number[]; lengths: number[] } {
  const lengths = rows.map((row) => row.totals.byteLength);
  const bytes = Buffer.allocUnsafe(lengths.reduce((sum, length) => sum + length, 0));
  const starts: number[] = [];
  let at = 0;
  for (const { totals } of rows) {
    starts.push(at);
    bytes.set(new Uint8Array(totals.buffer, totals.byteOffset, totals.byteLength), at);
    at += totals.byteLength;
  }
  return { bytes: bytes.swap64(), starts, lengths };
}

function totalsOf(bytes: Buffer): Float64Array {
  const copy = Buffer.from(bytes).swap64();
  return new Float64Array(copy.buffer, copy.byteOffset, copy.byteLength / 8);
}

/**
 * The counted-through totals of each instance's run (counter_baselines),
 * written in the bucket flush's transaction and read at start, so a server
 * that died mid-bucket neither loses nor repeats a count.
 */
export function createBaselineStore(db: Queryable) {
  return {
    /**
     * Writes each run's totals. With several servers (a row's counted_by set), a row that holds another run is left
     * alone: that run started on a server (startOrJoin), and an older run's last counts must not put the row back.
     */
    async upsert(all: CounterBaselineRow[]): Promise<void> {
      for (let start = 0; start < all.length; start += BASELINE_ROWS_PER_STATEMENT) {
        const rows = all.slice(start, start + BASELINE_ROWS_PER_STATEMENT);
        const { bytes, starts, lengths } = totalsBytes(rows);
        await db.query(
          `INSERT INTO counter_baselines (instance_id, run_id, breaker_ids, widths, totals, updated_at)
           SELECT instance_id, run_id, breaker_ids::uuid[], widths::int[], substring($7::bytea FROM totals_start + 1 FOR totals_length), now()
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[]) AS s(instance_id, run_id, breaker_ids, widths, totals_start, totals_length)
           ON CONFLICT (instance_id) DO UPDATE SET run_id = EXCLUDED.run_id, breaker_ids = EXCLUDED.breaker_ids, widths = EXCLUDED.widths,
             totals = EXCLUDED.totals, updated_at = now()
           WHERE counter_baselines.run_id = EXCLUDED.run_id OR counter_baselines.counted_by IS NULL`,
          [rows.map((row) => row.instanceId), rows.map((row) => row.runId), rows.map((row) => `{${row.breakerIds.join(',')}}`), rows.map((row) => `{${row.widths.join(',')}}`), starts, lengths, bytes],
        );
      }
    },

    /**
     * Records that an instance's run is counted from zero, unless the run is
     * stored already (another server counted it, and may have died): then
     * nothing is written and the stored row is returned, to count on from.
     * A stored row of the same run is never overwritten here. `countedBy`:
     * the server that counts a new run (CLUSTER=on; counting-handover.ts).
     */
    async startOrJoin(instanceId: string, runId: string, breakerIds: string[], countedBy: string | null = null): Promise<CounterBaselineRow | null> {
      const started = await db.query(
        `INSERT INTO counter_baselines (instance_id, run_id, breaker_ids, widths, totals, updated_at, counted_by)
         VALUES ($1, $2, $3::uuid[], $4::int[], $5, now(), $6)
         ON CONFLICT (instance_id) DO UPDATE SET run_id = EXCLUDED.run_id, breaker_ids = EXCLUDED.breaker_ids, widths = EXCLUDED.widths,
           totals = EXCLUDED.totals, updated_at = now(), counted_by = EXCLUDED.counted_by
         WHERE counter_baselines.run_id <> EXCLUDED.run_id
         RETURNING instance_id`,
        [instanceId, runId, breakerIds, breakerIds.map(() => 0), Buffer.alloc(0), countedBy],
      );
      if ((started.rowCount ?? 0) > 0) return null;
      const result = await db.query<{ breaker_ids: string[]; widths: number[]; totals: Buffer }>(
        'SELECT breaker_ids::text[] AS breaker_ids, widths, totals FROM counter_baselines WHERE instance_id = $1 AND run_id = $2',
        [instanceId, runId],
      );
      const row = result.rows[0];
      return row ? { instanceId, runId, breakerIds: row.breaker_ids, widths: row.widths, totals: totalsOf(row.totals) } : null;
    },

    /** Every instance's stored counters, or one instance's (none when it has none). */
    async load(instanceId?: string): Promise<CounterBaselineRow[]> {
      const result = await db.query<{ instance_id: string; run_id: string; breaker_ids: string[]; widths: number[]; totals: Buffer }>(
        `SELECT instance_id, run_id, breaker_ids::text[] AS breaker_ids, widths, totals FROM counter_baselines${instanceId ? ' WHERE instance_id = $1' : ''}`,
        instanceId ? [instanceId] : [],
      );
      return result.rows.map((row) => ({ instanceId: row.instance_id, runId: row.run_id, breakerIds: row.breaker_ids, widths: row.widths, totals: totalsOf(row.totals) }));
    },
  };
}
