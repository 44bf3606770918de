import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import { MAX_EXPORT_ROWS, ZExportQuery } from '../../lib/history/export-query.js';
import { ZHistoryExtentQuery, type THistoryExtent } from '../../lib/history/extent.js';
import { ZIncidentQuery } from '../../lib/history/incidents.js';
import { ZTimelineQuery } from '../../lib/history/timeline.js';
import { requireRole } from '../auth/request-access';
import { HttpError, validationError } from '../http/http-error';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import type pg from 'pg';
import { breakersInScope } from './breakers-in-scope';
import { createTimeline, type TimelineDependencies } from './build-timeline';
import { earliestData } from './data-extent';
import { incidentsCsv, transitionRows, transitionsCsv } from './export-rows';
import { createIncidents } from './incidents';
import { rangeTransitions } from './range-transitions';

function parseQuery<Schema extends z.ZodType>(schema: Schema, url: URL): z.infer<Schema> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationError(parsed.error, 'query');
  return parsed.data;
}

function sendDownload(res: ServerResponse, body: string, contentType: string, filename: string): void {
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** The history API for post-mortems: swimlanes, incidents with their summary, and exports; any signed-in user. */
export function addHistoryRoutes(router: Router, dependencies: TimelineDependencies & { db: pg.Pool }): void {
  const { db } = dependencies;
  const timeline = createTimeline(dependencies);
  const incidents = createIncidents({ db });

  router.add('GET', '/api/v1/history/timeline', async ({ req, res, url }) => {
    requireRole(req, 'viewer');
    sendJson(res, 200, await timeline(parseQuery(ZTimelineQuery, url)));
  });

  router.add('GET', '/api/v1/history/extent', async ({ req, res, url }) => {
    requireRole(req, 'viewer');
    const body: THistoryExtent = { earliest: await earliestData(db, parseQuery(ZHistoryExtentQuery, url)), serverTime: dependencies.now() };
    sendJson(res, 200, body);
  });

  router.add('GET', '/api/v1/history/incidents', async ({ req, res, url }) => {
    requireRole(req, 'viewer');
    sendJson(res, 200, await incidents(parseQuery(ZIncidentQuery, url)));
  });

  router.add('GET', '/api/v1/history/export', async ({ req, res, url }) => {
    requireRole(req, 'viewer');
    const query = parseQuery(ZExportQuery, url);
    const name = `breaker-history-${query.kind}-${new Date(query.from).toISOString().slice(0, 16)}`.replace(/:/g, '');
    if (query.kind === 'incidents') {
      const list = await incidents({ ...query, sort: 'start', order: 'asc', limit: MAX_EXPORT_ROWS });
      if (query.format === 'json')
        sendDownload(res, JSON.stringify({ from: query.from, to: query.to, summary: list.summary, incidents: list.incidents }), 'application/json; charset=utf-8', `${name}.json`);
      else sendDownload(res, incidentsCsv(list.incidents), 'text/csv; charset=utf-8', `${name}.csv`);
      return;
    }
    const breakers = await breakersInScope(db, query);
    const transitions = await rangeTransitions(
      db,
      breakers.map((breaker) => breaker.id),
      query.from,
      query.to,
      { withPanelRows: true, limit: MAX_EXPORT_ROWS + 1 },
    );
    if (transitions.length > MAX_EXPORT_ROWS) throw new HttpError(413, 'export_too_large', `More than ${MAX_EXPORT_ROWS} transitions: narrow the range or the filters`);
    // In time order across breakers, as a reader of a post-mortem expects.
    const rows = transitionRows(transitions, new Map(breakers.map((breaker) => [breaker.id, breaker]))).sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
    if (query.format === 'json') sendDownload(res, JSON.stringify({ from: query.from, to: query.to, transitions: rows }), 'application/json; charset=utf-8', `${name}.json`);
    else sendDownload(res, transitionsCsv(rows), 'text/csv; charset=utf-8', `${name}.csv`);
  });
}
