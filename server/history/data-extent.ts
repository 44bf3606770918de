import type { THistoryExtentQuery } from '../../lib/history/extent.js';
import type { Queryable } from '../store/queryable';

/** When the earliest breaker in scope first reported (a breaker row is created by its first report); null when none did. */
export async function earliestData(db: Queryable, filter: THistoryExtentQuery): Promise<number | null> {
  const result = await db.query<{ earliest: Date | null }>(
    `SELECT min(b.created_at) AS earliest FROM breakers b JOIN services s ON s.id = b.service_id
     WHERE ($1::text IS NULL OR s.name = $1) AND ($2::uuid IS NULL OR b.id = $2)`,
    [filter.service ?? null, filter.breaker ?? null],
  );
  return result.rows[0]?.earliest?.getTime() ?? null;
}
