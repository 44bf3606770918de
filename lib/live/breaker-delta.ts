import type { TBreakerSummary, TRecentRates } from '../api/breaker-summary';
import type { TRatesChange } from './rates-change';

export type { TRatesChange } from './rates-change';

/** A breaker's rates and last report time as a rates change. */
export function ratesChange(id: string, rates: TRecentRates, lastReportAt: number | null): TRatesChange {
  return { id, rates, lastReportAt };
}

/** The summary with a rates change applied: a new object, so whatever selected the old one sees the change. */
export function withRatesChange(summary: TBreakerSummary, change: TRatesChange): TBreakerSummary {
  return { ...summary, rates: change.rates, lastReportAt: change.lastReportAt };
}
