import { z } from 'zod';
import { UUID_PATTERN } from '../ids';
import { ZText } from '../protocol/storable';

/** Query of `GET /api/v1/history/extent`: optionally one service (by name) and one breaker (by id), as the other history routes. */
export const ZHistoryExtentQuery = z.object({
  service: ZText.min(1).max(200).optional(),
  breaker: ZText.regex(UUID_PATTERN, 'breaker must be a breaker id').optional(),
});

/** Query of `GET /api/v1/history/extent`. */
export type THistoryExtentQuery = z.infer<typeof ZHistoryExtentQuery>;

/**
 * `GET /api/v1/history/extent` response: since when the panel holds data for
 * the filters (the first report of the earliest breaker in scope, epoch ms;
 * null when none reported yet), so that the history opens on a range that
 * fits it.
 */
export const ZHistoryExtent = z.object({
  earliest: z.number().nullable(),
  serverTime: z.number(),
});

/** `GET /api/v1/history/extent` response. */
export type THistoryExtent = z.infer<typeof ZHistoryExtent>;
