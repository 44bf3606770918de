import { deployMarks } from '../../lib/history/deploys.js';
import type { TDeployMark } from '../../lib/history/timeline.js';
import type { Queryable } from '../store/queryable';

/**
 * Deploy markers of some services in [from, to). Reads each instance's last
 * run before the range (what it ran before) and its runs inside it; runs are
 * few (one per process start), so the grouping happens in lib/history.
 */
export async function deployMarksOf(db: Queryable, services: string[], from: number, to: number): Promise<TDeployMark[]> {
  if (services.length === 0) return [];
  const result = await db.query<{ service: string; instance: string; started_at: Date; version: string | null }>(
    `SELECT s.name AS service, i.name AS instance, r.started_at, r.labels->>'version' AS version
     FROM services s JOIN instances i ON i.service_id = s.id JOIN instance_runs r ON r.instance_id = i.id
     WHERE s.name = ANY($1::text[]) AND r.started_at < $3
       AND (r.started_at >= $2 OR r.run_id = (SELECT p.run_id FROM instance_runs p WHERE p.instance_id = i.id AND p.started_at < $2 ORDER BY p.started_at DESC LIMIT 1))`,
    [services, new Date(from), new Date(to)],
  );
  const runs = result.rows.map((row) => ({ service: row.service, instance: row.instance, startedAt: row.started_at.getTime(), version: row.version }));
  return deployMarks(runs, from, to);
}
