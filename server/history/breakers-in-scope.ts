import type { Queryable } from '../store/queryable';

/** A breaker the history covers, with the names the screens show. */
export interface ScopedBreaker {
  id: string;
  name: string;
  service: string;
}

/** The breakers a history filter covers (one service by name, one breaker by id, or all), by service then name. */
export async function breakersInScope(db: Queryable, filter: { service?: string; breaker?: string }): Promise<ScopedBreaker[]> {
  const result = await db.query<ScopedBreaker>(
    `SELECT b.id, b.name, s.name AS service FROM breakers b JOIN services s ON s.id = b.service_id
     WHERE ($1::text IS NULL OR s.name = $1) AND ($2::uuid IS NULL OR b.id = $2)
     ORDER BY s.name, b.name`,
    [filter.service ?? null, filter.breaker ?? null],
  );
  return result.rows;
}
