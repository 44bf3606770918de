import { describe, expect, it } from 'vitest';
import type { TBreakerSummary } from '../../../lib/api/breaker-summary';
import { selectOverview } from '../../../app/overview/overview-selection';
import { breakerSummary } from '../../fixtures/breaker-summary';

function summaryOf({ failureRate, stale, ...fields }: Pick<TBreakerSummary, 'service' | 'name' | 'state'> & { failureRate: number | null; stale: number }): TBreakerSummary {
  const base = breakerSummary(fields);
  return { ...base, instances: { ...base.instances, stale }, rates: { ...base.rates, failureRate } };
}

describe('the overview selection', () => {
  it('counts, lists the services and groups by service in one pass', () => {
    const summaries = [
      summaryOf({ service: 'search', name: 'index', state: 'OPEN', failureRate: 80, stale: 0 }),
      summaryOf({ service: 'checkout', name: 'payments', state: 'CLOSED', failureRate: 1, stale: 1 }),
      summaryOf({ service: 'checkout', name: 'fraud', state: 'FORCED_OPEN', failureRate: null, stale: 0 }),
      summaryOf({ service: 'search', name: 'ranking', state: 'HALF_OPEN', failureRate: 10, stale: 0 }),
    ];
    const byId = Object.fromEntries(summaries.map((summary) => [summary.id, summary]));
    const grouped = selectOverview(summaries, { search: '', service: '', status: '', group: true });
    expect(grouped.counts).toEqual({ breakers: 4, open: 1, halfOpen: 1, forced: 1, staleInstances: 1 });
    expect(grouped.services).toEqual(['checkout', 'search']);
    const names = (lines: typeof grouped.lines) => lines.map((line) => (line.kind === 'group' ? `[${line.service}]` : byId[line.id]!.name));
    expect(names(grouped.lines)).toEqual(['[search]', 'index', 'ranking', '[checkout]', 'fraud', 'payments']);
    // Filters narrow the lines but not the counts or the service list.
    const filtered = selectOverview(summaries, { search: 'PAY', service: '', status: '', group: false });
    expect(names(filtered.lines)).toEqual(['payments']);
    expect(filtered.counts.breakers).toBe(4);
    expect(filtered.services).toEqual(['checkout', 'search']);
  });
});
