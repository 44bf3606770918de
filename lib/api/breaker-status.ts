import type { TBreakerSummary } from './breaker-summary';

/**
 * What an operator needs to tell apart at a glance, including the cases other
 * tools blur: a closed breaker with no calls (idle), one that never reported
 * (no data), one whose reporters are gone (stale), and an open breaker with no
 * traffic, which will never get the trial call that would close it (stuck).
 */
export type TBreakerStatus = 'open' | 'stuck' | 'forced_open' | 'half_open' | 'forced_closed' | 'closed' | 'idle' | 'stale' | 'no_data';

export function breakerStatus(summary: TBreakerSummary): TBreakerStatus {
  if (summary.lastReportAt === null) return 'no_data';
  switch (summary.state) {
    case null:
      return summary.instances.stale > 0 ? 'stale' : 'no_data';
    case 'OPEN':
      return summary.rates.callsPerSecond === 0 ? 'stuck' : 'open';
    case 'FORCED_OPEN':
      return 'forced_open';
    case 'HALF_OPEN':
      return 'half_open';
    case 'FORCED_CLOSED':
      return 'forced_closed';
    case 'CLOSED':
      return summary.rates.callsPerSecond === 0 ? 'idle' : 'closed';
  }
}

/** Words for each status: the UI never relies on colour alone. */
export const STATUS_LABEL: Record<TBreakerStatus, string> = {
  open: 'Open',
  stuck: 'Open, no traffic',
  forced_open: 'Forced open',
  half_open: 'Half-open',
  forced_closed: 'Forced closed',
  closed: 'Closed',
  idle: 'Closed, idle',
  stale: 'Reporter gone',
  no_data: 'No data yet',
};

/** Statuses an operator must look at first. */
export const UNHEALTHY: ReadonlySet<TBreakerStatus> = new Set<TBreakerStatus>(['open', 'stuck', 'forced_open', 'half_open', 'stale']);
