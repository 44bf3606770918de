import { z } from 'zod';
import { ZRecentRates } from '../api/breaker-summary';

/**
 * A breaker whose rates (and last report time) are all that moved since it
 * was last sent: at 1 Hz reporting nearly every update is one of these, and
 * it is a fraction of a whole summary's JSON. (Its own file: the browser
 * imports only its type, as the schema's imports reach lib/protocol.)
 */
export const ZRatesChange = z.object({
  id: z.string(),
  rates: ZRecentRates,
  lastReportAt: z.number().nullable(),
});

/** A rates-only change of a breaker in the live stream. */
export type TRatesChange = z.infer<typeof ZRatesChange>;
