import { z } from 'zod';
import { ZHistoryFilter } from './history-range';

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
