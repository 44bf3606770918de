import { z } from 'zod';
import { UUID_PATTERN } from '../ids';
import { ZQueryEpochMs, ZText } from '../protocol/storable';

/** The longest range the history API answers: the 1 min buckets' and the UI's horizon, with room. */
export const MAX_HISTORY_RANGE_MS = 93 * 24 * 3600_000;

/** The filters every history route shares: an epoch ms range and optionally one service (by name) and one breaker (by id). */
export const ZHistoryFilter = z
  .object({
    from: ZQueryEpochMs,
    to: ZQueryEpochMs,
    service: ZText.min(1).max(200).optional().meta({ description: 'A service name' }),
    breaker: ZText.regex(UUID_PATTERN, 'breaker must be a breaker id').optional().meta({ description: 'A breaker id' }),
  })
  .refine((query) => query.to > query.from, { message: 'to must be after from', path: ['to'] })
  .refine((query) => query.to - query.from <= MAX_HISTORY_RANGE_MS, { message: 'the range may span at most 93 days', path: ['from'] });

/** The filters every history route shares. */
export type THistoryFilter = z.infer<typeof ZHistoryFilter>;

/** A query-string boolean: `1`/`true` or `0`/`false` (z.coerce.boolean would read "false" as true). */
export const ZQueryFlag = z.enum(['1', '0', 'true', 'false']).transform((value) => value === '1' || value === 'true');
