import type { TRecentRates } from '../lib/api/breaker-summary';
import type { TBreakerState } from '../lib/protocol/breaker-state';
import { formatCount } from '../lib/format/humanize';

/**
 * An open breaker rejects every call, so it has no failure rate and no
 * latency to show: the rates are empty because nothing ran, not because
 * nothing is known. True when calls arrive and none of them executes.
 */
export function allRejected(rates: Pick<TRecentRates, 'failureRate' | 'rejectedPerSecond'>): boolean {
  return rates.failureRate === null && rates.rejectedPerSecond > 0;
}

const WHILE: Partial<Record<TBreakerState, string>> = {
  OPEN: ' while open',
  HALF_OPEN: ' while half-open',
  FORCED_OPEN: ' while tripped by hand',
};

/** " while open", " while tripped by hand", or nothing for a state that does not reject. */
export function rejectedWhile(state: TBreakerState | null): string {
  return state ? (WHILE[state] ?? '') : '';
}

/** "no calls executed: all 1,234 rejected while open" (or a rate, "all 12.5/s rejected"), for a count or a rate of rejected calls. */
export function allRejectedText(rejected: { count: number } | { perSecond: number }, state: TBreakerState | null): string {
  const amount = 'count' in rejected ? formatCount(rejected.count) : `${rejected.perSecond >= 10 ? rejected.perSecond.toFixed(0) : rejected.perSecond.toFixed(1)}/s`;
  return `no calls executed: all ${amount} rejected${rejectedWhile(state)}`;
}
