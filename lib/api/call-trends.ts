import { z } from 'zod';
import { ZText } from '../protocol/storable';

/** How many breakers one `GET /api/v1/breaker-trends` may ask about: a screenful or two of overview rows. */
export const MAX_TREND_IDS = 200;
/** One value per 10 s bucket over the last 15 minutes. */
export const TREND_STEP_MS = 10_000;
export const TREND_SPAN_MS = 15 * 60_000;

/** Query of `GET /api/v1/breaker-trends`: breaker ids, comma-separated. */
export const ZCallTrendsQuery = z.object({
  ids: ZText.transform((ids) => ids.split(',').filter(Boolean))
    .pipe(z.array(z.uuid()).min(1).max(MAX_TREND_IDS))
    .meta({ description: `Breaker ids, comma-separated (1 to ${MAX_TREND_IDS})` }),
});

/**
 * `GET /api/v1/breaker-trends` answer: each asked breaker's calls per second
 * (executed and rejected, as in its rates) per 10 s bucket, oldest first, from
 * `from` to the last bucket the store surely holds; a bucket without calls is 0.
 * The overview seeds its sparklines with it, so they are not empty after a load.
 */
export const ZCallTrends = z.object({
  from: z.number(),
  stepMs: z.number(),
  trends: z.record(z.string(), z.array(z.number())),
});

/** `GET /api/v1/breaker-trends` answer. */
export type TCallTrends = z.infer<typeof ZCallTrends>;
