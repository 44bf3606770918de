import type { TBreakerSummary, TRecentRates } from '../api/breaker-summary';

/**
 * A breaker whose rates (and last report time) are all that moved since it was
 * last sent, as a tuple: at 1 Hz reporting nearly every update is one of these,
 * and a tuple is a sixth of a summary's JSON.
 */
export type TRatesChange = [
  id: string,
  callsPerSecond: number,
  failureRate: number | null,
  slowCallRate: number | null,
  rejectedPerSecond: number,
  p50Ms: number | null,
  p90Ms: number | null,
  p99Ms: number | null,
  lastReportAt: number | null,
];

/** A breaker's rates and last report time as a rates change. */
export function ratesChange(id: string, rates: TRecentRates, lastReportAt: number | null): TRatesChange {
  return [id, rates.callsPerSecond, rates.failureRate, rates.slowCallRate, rates.rejectedPerSecond, rates.p50Ms, rates.p90Ms, rates.p99Ms, lastReportAt];
}

/** The summary with a rates change applied: a new object, so whatever selected the old one sees the change. */
export function withRatesChange(summary: TBreakerSummary, [, callsPerSecond, failureRate, slowCallRate, rejectedPerSecond, p50Ms, p90Ms, p99Ms, lastReportAt]: TRatesChange): TBreakerSummary {
  return { ...summary, rates: { callsPerSecond, failureRate, slowCallRate, rejectedPerSecond, p50Ms, p90Ms, p99Ms }, lastReportAt };
}
