import type { TBreakerSummary } from '../api/breaker-summary';

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

/** True when `next` differs from `previous` in nothing but its rates and last report time. */
export function onlyRatesMoved(previous: TBreakerSummary, next: TBreakerSummary): boolean {
  const a = previous.instances;
  const b = next.instances;
  return (
    previous.state === next.state &&
    previous.wouldBe === next.wouldBe &&
    previous.stateSince === next.stateSince &&
    previous.name === next.name &&
    previous.service === next.service &&
    previous.demo === next.demo &&
    previous.override === next.override &&
    a.total === b.total &&
    a.stale === b.stale &&
    a.byState.CLOSED === b.byState.CLOSED &&
    a.byState.OPEN === b.byState.OPEN &&
    a.byState.HALF_OPEN === b.byState.HALF_OPEN &&
    a.byState.FORCED_OPEN === b.byState.FORCED_OPEN &&
    a.byState.FORCED_CLOSED === b.byState.FORCED_CLOSED
  );
}

export function toRatesChange({ id, rates, lastReportAt }: TBreakerSummary): TRatesChange {
  return [id, rates.callsPerSecond, rates.failureRate, rates.slowCallRate, rates.rejectedPerSecond, rates.p50Ms, rates.p90Ms, rates.p99Ms, lastReportAt];
}

/** The summary with a rates change applied: a new object, so whatever selected the old one sees the change. */
export function withRatesChange(summary: TBreakerSummary, [, callsPerSecond, failureRate, slowCallRate, rejectedPerSecond, p50Ms, p90Ms, p99Ms, lastReportAt]: TRatesChange): TBreakerSummary {
  return { ...summary, rates: { callsPerSecond, failureRate, slowCallRate, rejectedPerSecond, p50Ms, p90Ms, p99Ms }, lastReportAt };
}
