import { z } from 'zod';
import { ZBreakerState, ZTransitionCause } from '../protocol/breaker-state';
import { ZHistoryFilter } from './history-range';
import { ZIncident, ZIncidentSummary } from './incidents';

/** Most rows one export answers: beyond that, narrow the range or the filters. */
export const MAX_EXPORT_ROWS = 100_000;

/** Query of `GET /api/v1/history/export`: the timeline's filters, a format and what to export. */
export const ZExportQuery = z.intersection(
  ZHistoryFilter,
  z.object({
    format: z.enum(['csv', 'json']),
    kind: z.enum(['transitions', 'incidents']),
  }),
);

/** Query of `GET /api/v1/history/export`. */
export type TExportQuery = z.infer<typeof ZExportQuery>;

/** One transition of the export: names beside ids, times as epoch ms and ISO 8601 UTC; `instance` is null for the panel's own rows. */
export const ZTransitionExportRow = z.object({
  id: z.string(),
  at: z.number(),
  atUtc: z.string().nullable(),
  service: z.string().nullable(),
  breaker: z.string().nullable(),
  breakerId: z.string(),
  instance: z.string().nullable(),
  from: ZBreakerState.nullable(),
  to: ZBreakerState,
  cause: ZTransitionCause,
  failureRate: z.number().nullable(),
  slowCallRate: z.number().nullable(),
});

/** One transition of the export. */
export type TTransitionExportRow = z.infer<typeof ZTransitionExportRow>;

/** The JSON download of `kind=transitions`. */
export const ZTransitionsExport = z.object({ from: z.number(), to: z.number(), transitions: z.array(ZTransitionExportRow) });

/** The JSON download of `kind=incidents`. */
export const ZIncidentsExport = z.object({ from: z.number(), to: z.number(), summary: ZIncidentSummary, incidents: z.array(ZIncident) });
