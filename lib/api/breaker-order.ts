import type { TBreakerState } from '../protocol/breaker-state';
import type { TBreakerSummary } from './breaker-summary';

// Unhealthy first: open, forced open, half open; then by failure rate.
const RANK: Record<TBreakerState, number> = { OPEN: 0, FORCED_OPEN: 1, HALF_OPEN: 2, FORCED_CLOSED: 3, CLOSED: 4 };

// Plain code-point comparison: sorting 10,000 breakers with localeCompare costs a long task in the browser.
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Alphabetical by service, then breaker. */
export function compareByName(a: TBreakerSummary, b: TBreakerSummary): number {
  return compareText(a.service, b.service) || compareText(a.name, b.name);
}

/** The overview's order: OPEN, FORCED_OPEN, HALF_OPEN first, then the highest failure rate, then by name. */
export function compareByHealth(a: TBreakerSummary, b: TBreakerSummary): number {
  const rankA = a.state ? RANK[a.state] : 5;
  const rankB = b.state ? RANK[b.state] : 5;
  if (rankA !== rankB) return rankA - rankB;
  const failureA = a.rates.failureRate ?? -1;
  const failureB = b.rates.failureRate ?? -1;
  if (failureA !== failureB) return failureB - failureA;
  return compareByName(a, b);
}
