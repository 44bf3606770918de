import { compareByHealth } from '../../lib/api/breaker-order';
import { breakerStatus } from '../../lib/api/breaker-status';
import type { TBreakerSummary } from '../../lib/api/breaker-summary';
import type { OverviewCounts } from '../../components/overview/summary-counts';
import type { OverviewFilterValues } from '../../components/overview/overview-filters';

/** A line of the overview list: a group heading or a breaker. */
export type OverviewLine = { kind: 'group'; service: string; count: number } | { kind: 'breaker'; id: string };

/** The breakers that pass the filters, unhealthy first, optionally grouped by service. */
export function selectLines(byId: Record<string, TBreakerSummary>, filters: OverviewFilterValues): OverviewLine[] {
  const needle = filters.search.trim().toLowerCase();
  const chosen = Object.values(byId).filter(
    (summary) =>
      (!filters.service || summary.service === filters.service) &&
      (!filters.status || breakerStatus(summary) === filters.status) &&
      (!needle || summary.service.toLowerCase().includes(needle) || summary.name.toLowerCase().includes(needle)),
  );
  chosen.sort(compareByHealth);
  if (!filters.group) return chosen.map((summary) => ({ kind: 'breaker', id: summary.id }));
  const groups = new Map<string, string[]>();
  for (const summary of chosen) groups.set(summary.service, [...(groups.get(summary.service) ?? []), summary.id]);
  // Groups keep the order of their worst breaker, so the unhealthy services stay on top.
  return [...groups].flatMap(([service, ids]) => [{ kind: 'group' as const, service, count: ids.length }, ...ids.map((id) => ({ kind: 'breaker' as const, id }))]);
}

export function countSummaries(byId: Record<string, TBreakerSummary>): OverviewCounts {
  const counts: OverviewCounts = { breakers: 0, open: 0, halfOpen: 0, forced: 0, staleInstances: 0 };
  for (const summary of Object.values(byId)) {
    counts.breakers += 1;
    if (summary.state === 'OPEN') counts.open += 1;
    if (summary.state === 'HALF_OPEN') counts.halfOpen += 1;
    if (summary.state === 'FORCED_OPEN' || summary.state === 'FORCED_CLOSED') counts.forced += 1;
    counts.staleInstances += summary.instances.stale;
  }
  return counts;
}
