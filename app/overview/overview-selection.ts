import { compareByHealth } from '../../lib/api/breaker-order';
import { breakerStatus } from '../../lib/api/breaker-status';
import type { TBreakerSummary } from '../../lib/api/breaker-summary';
import type { OverviewCounts } from '../../components/overview/summary-counts';
import type { OverviewFilterValues } from '../../components/overview/overview-filters';

/** A line of the overview list: a group heading or a breaker. */
export type OverviewLine = { kind: 'group'; service: string; count: number } | { kind: 'breaker'; id: string };

/** What the overview derives from the whole map, in one pass over it. */
export interface OverviewSelection {
  lines: OverviewLine[];
  counts: OverviewCounts;
  services: string[];
}

/** The breakers that pass the filters, unhealthy first, optionally grouped by service; the summary counts; the services to filter by. */
export function selectOverview(summaries: Iterable<TBreakerSummary>, filters: OverviewFilterValues): OverviewSelection {
  const needle = filters.search.trim().toLowerCase();
  const counts: OverviewCounts = { breakers: 0, open: 0, halfOpen: 0, forced: 0, staleInstances: 0 };
  const services = new Set<string>();
  const chosen: TBreakerSummary[] = [];
  for (const summary of summaries) {
    counts.breakers += 1;
    if (summary.state === 'OPEN') counts.open += 1;
    if (summary.state === 'HALF_OPEN') counts.halfOpen += 1;
    if (summary.state === 'FORCED_OPEN' || summary.state === 'FORCED_CLOSED') counts.forced += 1;
    counts.staleInstances += summary.instances.stale;
    services.add(summary.service);
    if (
      (!filters.service || summary.service === filters.service) &&
      (!filters.status || breakerStatus(summary) === filters.status) &&
      (!needle || summary.service.toLowerCase().includes(needle) || summary.name.toLowerCase().includes(needle))
    )
      chosen.push(summary);
  }
  return { lines: linesOf(chosen.sort(compareByHealth), filters.group), counts, services: [...services].sort() };
}

function linesOf(sorted: TBreakerSummary[], group: boolean): OverviewLine[] {
  if (!group) return sorted.map((summary) => ({ kind: 'breaker', id: summary.id }));
  const groups = new Map<string, string[]>();
  for (const summary of sorted) {
    const ids = groups.get(summary.service);
    if (ids) ids.push(summary.id);
    else groups.set(summary.service, [summary.id]);
  }
  // Groups keep the order of their worst breaker, so the unhealthy services stay on top.
  return [...groups].flatMap(([service, ids]) => [{ kind: 'group' as const, service, count: ids.length }, ...ids.map((id) => ({ kind: 'breaker' as const, id }))]);
}
