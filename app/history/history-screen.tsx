'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { startTransition, useEffect, useMemo, useState } from 'react';
import type { TBreakerList } from '../../lib/api/breaker-list';
import type { THistoryExtent } from '../../lib/history/extent';
import type { TIncidentList, TIncidentSort } from '../../lib/history/incidents';
import type { TBreakerLane, TTimeline } from '../../lib/history/timeline';
import { IncidentsTable } from '../../components/history/incidents-table';
import { RangePicker } from '../../components/history/range-picker';
import { StateLegend } from '../../components/history/state-legend';
import { Swimlanes } from '../../components/history/swimlanes';
import styles from '../../components/history/history.module.css';
import { callApi } from '../_access/api-client';
import { apiFilters, breakerLink, defaultRange, followEveryMs, hasRange, PRESETS, queryFor, viewFromParams, type HistoryView, type Preset } from './history-url';

const PRESET_LIST = Object.entries(PRESETS).map(([key, preset]) => ({ key, label: preset.label }));
// A view that ends now reads the clock when the URL changes and when it follows now; a custom or zoomed range stays put while it is read.
const readNow = () => Date.now();
// The extent's first data, and how far the server's clock is ahead of the browser's; null when the extent could not be read.
type FittedExtent = { earliest: number | null; skewMs: number } | null;
// The filters that decide where the data starts: the extent is asked for them.
const scopeOf = (params: URLSearchParams) => {
  const scope = new URLSearchParams();
  if (params.get('service')) scope.set('service', params.get('service')!);
  if (params.get('breaker')) scope.set('breaker', params.get('breaker')!);
  return scope.toString();
};

/** The history page: range and filters in the URL, swimlanes, incidents with their summary, exports. */
export function HistoryScreen() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const query = params.toString();
  // Without a range in the URL the page first asks since when there is data, then shows a range that fits it.
  // The fitted range stays in state, not the URL: rewriting the URL from an effect would cancel a navigation the user has started.
  const rangeChosen = hasRange(new URLSearchParams(query));
  const scope = scopeOf(new URLSearchParams(query));
  const [fitted, setFitted] = useState<{ scope: string; extent: FittedExtent } | null>(null);
  // The fit asked for the filters shown now; null while it is asked, or when the URL names a range.
  const fitting = !rangeChosen && fitted?.scope === scope ? fitted : null;
  const ready = rangeChosen || fitting !== null;
  // Moved on while the view follows now: every move asks for the data again.
  const [followedAt, setFollowedAt] = useState(0);
  const view = useMemo(() => {
    const now = Math.max(readNow(), followedAt);
    const fromUrl = viewFromParams(new URLSearchParams(query), now);
    if (!fitting) return fromUrl;
    // Refitted at every move: young data widens its range, and moves on to a preset once it is older than the smallest.
    const range = fitting.extent ? defaultRange(fitting.extent.earliest, now + fitting.extent.skewMs) : { preset: '24h' as const };
    // A fitted range is in the server's time, as the data it fits.
    return range.preset ? { ...fromUrl, preset: range.preset, from: now - PRESETS[range.preset].ms, to: now } : { ...fromUrl, ...range };
  }, [query, fitting, followedAt]);
  const followMs = ready && (view.preset !== null || !rangeChosen) ? followEveryMs(view.to - view.from) : null;
  const [timeline, setTimeline] = useState<TTimeline | null>(null);
  const [incidents, setIncidents] = useState<TIncidentList | null>(null);
  const [instanceLanes, setInstanceLanes] = useState<Record<string, TBreakerLane['instances']>>({});
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [sort, setSort] = useState<{ sort: TIncidentSort; order: 'asc' | 'desc' }>({ sort: 'start', order: 'desc' });
  const [breakers, setBreakers] = useState<TBreakerList['breakers']>([]);
  const [error, setError] = useState<string | null>(null);
  const filters = apiFilters(view);

  const go = (next: Partial<HistoryView>) => router.replace(`${pathname}?${queryFor({ ...view, ...next })}`, { scroll: false });

  useEffect(() => {
    if (followMs === null) return;
    // A hidden tab asks for nothing; shown again, it catches up at once.
    const follow = () => !document.hidden && setFollowedAt(readNow());
    const timer = setInterval(follow, followMs);
    document.addEventListener('visibilitychange', follow);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', follow);
    };
  }, [followMs]);

  useEffect(() => {
    callApi<TBreakerList>('/api/v1/breakers?sort=name').then(
      (list) => setBreakers(list.breakers),
      () => undefined,
    );
  }, [followedAt]);

  useEffect(() => {
    if (rangeChosen) return;
    let cancelled = false;
    const fit = (extent: FittedExtent) => !cancelled && setFitted({ scope, extent });
    callApi<THistoryExtent>(`/api/v1/history/extent?${scope}`).then(
      (extent) => fit({ earliest: extent.earliest, skewMs: extent.serverTime - readNow() }),
      () => fit(null),
    );
    return () => {
      cancelled = true;
    };
  }, [rangeChosen, scope]);

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    callApi<TTimeline>(`/api/v1/history/timeline?${filters}`).then(
      (data) => {
        if (cancelled) return;
        setError(null);
        // A week of a service is thousands of SVG elements: rendered as a transition, React builds them in slices between frames.
        startTransition(() => {
          setTimeline(data);
          setInstanceLanes({});
        });
      },
      (failure: Error) => !cancelled && setError(failure.message),
    );
    return () => {
      cancelled = true;
    };
  }, [filters, ready]);

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    callApi<TIncidentList>(`/api/v1/history/incidents?${filters}&sort=${sort.sort}&order=${sort.order}`).then(
      (data) => !cancelled && startTransition(() => setIncidents(data)),
      (failure: Error) => !cancelled && setError(failure.message),
    );
    return () => {
      cancelled = true;
    };
  }, [filters, sort, ready]);

  // Instance lanes are fetched per breaker when expanded: the service view stays small.
  useEffect(() => {
    for (const breakerId of expanded) {
      if (instanceLanes[breakerId]) continue;
      callApi<TTimeline>(`/api/v1/history/timeline?${apiFilters({ ...view, breaker: breakerId, service: null })}&instances=1`).then(
        (data) => setInstanceLanes((current) => ({ ...current, [breakerId]: data.lanes[0]?.instances ?? [] })),
        () => undefined,
      );
    }
  }, [expanded, instanceLanes, view]);

  const lanes = useMemo(() => (timeline?.lanes ?? []).map((lane) => (instanceLanes[lane.breakerId] ? { ...lane, instances: instanceLanes[lane.breakerId] } : lane)), [timeline, instanceLanes]);
  const services = useMemo(() => [...new Set(breakers.map((breaker) => breaker.service))].sort(), [breakers]);
  const span = view.to - view.from;
  const linkFor = (breakerId: string, at: number) => breakerLink(breakerId, at, timeline?.serverTime ?? view.to);

  return (
    <>
      <RangePicker
        presets={PRESET_LIST}
        active={ready ? view.preset : null}
        from={view.from}
        to={view.to}
        onPreset={(key) => go({ preset: key as Preset })}
        onRange={(from, to) => go({ preset: null, from, to })}
        onPan={(direction) => go({ preset: null, from: view.from + (direction * span) / 2, to: view.to + (direction * span) / 2 })}
        onZoomOut={() => go({ preset: null, from: view.from - span / 2, to: view.to + span / 2 })}
      />
      {followMs !== null ? <p className={styles.muted}>Follows now: updated every {Math.round(followMs / 1000)} s. A custom or zoomed range stays put.</p> : null}
      <div className={styles.toolbar}>
        <label>
          Service{' '}
          <select value={view.service ?? ''} onChange={(event) => go({ service: event.target.value || null, breaker: null })}>
            <option value="">all services</option>
            {services.map((service) => (
              <option key={service}>{service}</option>
            ))}
          </select>
        </label>
        <label>
          Breaker{' '}
          <select value={view.breaker ?? ''} onChange={(event) => go({ breaker: event.target.value || null })}>
            <option value="">all breakers</option>
            {breakers
              .filter((breaker) => !view.service || breaker.service === view.service)
              .map((breaker) => (
                <option key={breaker.id} value={breaker.id}>
                  {breaker.service}/{breaker.name}
                </option>
              ))}
          </select>
        </label>
        <div className={styles.group} role="group" aria-label="Export">
          <a className={styles.button} href={`/api/v1/history/export?${filters}&kind=transitions&format=csv`} download>
            Transitions CSV
          </a>
          <a className={styles.button} href={`/api/v1/history/export?${filters}&kind=transitions&format=json`} download>
            Transitions JSON
          </a>
          <a className={styles.button} href={`/api/v1/history/export?${filters}&kind=incidents&format=csv`} download>
            Incidents CSV
          </a>
          <a className={styles.button} href={`/api/v1/history/export?${filters}&kind=incidents&format=json`} download>
            Incidents JSON
          </a>
        </div>
      </div>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      <StateLegend />
      {timeline ? (
        lanes.length > 0 ? (
          <Swimlanes
            from={timeline.from}
            to={timeline.to}
            lanes={lanes}
            deploys={timeline.deploys}
            expanded={expanded}
            onToggle={(breakerId) =>
              setExpanded((current) => {
                const next = new Set(current);
                if (!next.delete(breakerId)) next.add(breakerId);
                return next;
              })
            }
            onZoom={(from, to) => go({ preset: null, from, to })}
            linkFor={linkFor}
          />
        ) : (
          <p className={styles.muted}>No breaker matches these filters.</p>
        )
      ) : (
        <p className={styles.muted}>Loading the timeline…</p>
      )}
      {incidents ? (
        <IncidentsTable
          list={incidents}
          sort={sort.sort}
          order={sort.order}
          onSort={(key) => setSort((current) => ({ sort: key, order: current.sort === key && current.order === 'desc' ? 'asc' : 'desc' }))}
          linkFor={linkFor}
        />
      ) : null}
    </>
  );
}
