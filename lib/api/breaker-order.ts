import type { TBreakerState } from '../protocol/breaker-state.js';
import type { TBreakerSummary } from './breaker-summary.js';

// Unhealthy first: open, forced open, half open; then by failure rate.
const RANK: Record<TBreakerState, number> = { OPEN: 0, FORCED_OPEN: 1, HALF_OPEN: 2, FORCED_CLOSED: 3, CLOSED: 4 };

/** The overview's order: OPEN, FORCED_OPEN, HALF_OPEN first, then the highest failure rate, then by name. */
export function compareByHealth(a: TBreakerSummary, b: TBreakerSummary): number {
  const rankA = a.state ? RANK[a.state] : 5;
  const rankB = b.state ? RANK[b.state] : 5;
  if (rankA !== rankB) return rankA - rankB;
  const failureA = a.rates.failureRate ?? -1;
  const failureB = b.rates.failureRate ?? -1;
  if (failureA !== failureB) return failureB - failureA;
  return a.service.localeCompare(b.service) || a.name.localeCompare(b.name);
}

/** Alphabetical by service, then breaker. */
export function compareByName(a: TBreakerSummary, b: TBreakerSummary): number {
  return a.service.localeCompare(b.service) || a.name.localeCompare(b.name);
}
