import type pg from 'pg';
import { ZLabels, type TLabels } from '../../lib/protocol/identity.js';

/**
 * Every instance that ever reported a breaker, to whichever server: in a
 * cluster an action's targets come from here as well as from this server's
 * aggregate, which holds only the instances that report to it (and those
 * stored when it started).
 */
export function createKnownInstances(db: pg.Pool) {
  return async (breakerId: string): Promise<Array<{ instanceId: string; name: string; labels: TLabels }>> => {
    const { rows } = await db.query<{ id: string; name: string; labels: unknown }>(
      `SELECT i.id, i.name, i.labels FROM breaker_instance_states p JOIN instances i ON i.id = p.instance_id
       WHERE p.breaker_id = $1 ORDER BY i.name`,
      [breakerId],
    );
    return rows.map((row) => ({ instanceId: row.id, name: row.name, labels: ZLabels.catch({}).parse(row.labels) }));
  };
}
