import { ACTION_LEAD_MS, isWithinEpisode } from '../../lib/history/episodes.js';
import type { TIncident, TIncidentList, TIncidentQuery } from '../../lib/history/incidents.js';
import type pg from 'pg';
import { catchUpEpisodes } from './episode-catch-up';
import { actionMarks } from './action-marks';
import { queryIncidents } from './incident-query';

/**
 * The incidents of a range: stored episodes brought up to date, then
 * episodes and summary from SQL, then the operator
 * actions of the returned page attached by the episode rule (inside it, or
 * just before its first trip: the panel acts before instances report).
 */
export function createIncidents({ db }: { db: pg.Pool }) {
  return async function incidents(query: TIncidentQuery): Promise<TIncidentList> {
    await catchUpEpisodes(db);
    const { summary, total, rows } = await queryIncidents(db, query);
    const breakerIds = [...new Set(rows.map((row) => row.breakerId))];
    const actions = rows.length === 0 ? [] : await actionMarks(db, breakerIds, query.from - ACTION_LEAD_MS, query.to);
    const withActions: TIncident[] = rows.map((row) => ({
      ...row,
      actions: actions.filter((action) => action.breakerId === row.breakerId && isWithinEpisode(action.at, row, query.to)),
    }));
    return { from: query.from, to: query.to, summary, total, incidents: withActions };
  };
}
