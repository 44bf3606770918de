import { z } from 'zod';
import { ZRecentRates, type TBreakerSummary, type TRecentRates } from '../api/breaker-summary';

/**
 * A breaker whose rates (and last report time) are all that moved since it
 * was last sent: at 1 Hz reporting nearly every update is one of these, and
 * it is a fraction of a whole summary's JSON.
 */
export const ZRatesChange = z.object({
  id: z.string(),
  rates: ZRecentRates,
  lastReportAt: z.number().nullable(),
});

/** A rates-only change of a breaker in the live stream. */
export type TRatesChange = z.infer<typeof ZRatesChange>;

/** A breaker's rates and last report time as a rates change. */
export function ratesChange(id: string, rates: TRecentRates, lastReportAt: number | null): TRatesChange {
  return { id, rates, lastReportAt };
}

/** The summary with a rates change applied: a new object, so whatever selected the old one sees the change. */
export function withRatesChange(summary: TBreakerSummary, change: TRatesChange): TBreakerSummary {
  return { ...summary, rates: change.rates, lastReportAt: change.lastReportAt };
}
