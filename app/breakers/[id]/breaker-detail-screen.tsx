'use client';

import Link from 'next/link';
import { notFound, usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail';
import { breakerStatus } from '../../../lib/api/breaker-status';
import type { TMetricsSeries } from '../../../lib/api/metrics-series';
import type { TTransitionRecord } from '../../../lib/api/transition-record';
import { ConfigList } from '../../../components/breaker-detail/config-list';
import { noLatencyReason, readOnlyReason } from '../../../components/reporter-client-text';
import { InstanceHeatmap, InstancesTable } from '../../../components/breaker-detail/instances-table';
import { LiveFigures } from '../../../components/breaker-detail/live-figures';
import { MetricsCharts, toChartPoints } from '../../../components/breaker-detail/metrics-charts';
import { trailingRejected } from '../../../components/breaker-detail/rejected-run';
import { StateBand } from '../../../components/breaker-detail/state-band';
import styles from '../../../components/breaker-detail/breaker-detail.module.css';
import { formatPercent } from '../../../components/overview/format';
import { formatDuration } from '../../../lib/format/humanize';
import { StateBadge } from '../../../components/state-badge';
import { useBreakers, useLiveScope } from '../../_live/live-provider';
import { BreakerControls } from './breaker-controls';
import { configDrift, serviceWideSegments } from './state-segments';

const PRESETS = {
  live: { label: 'Live 15 min', ms: 15 * 60_000 },
  '1h': { label: '1 h', ms: 3_600_000 },
  '6h': { label: '6 h', ms: 6 * 3_600_000 },
  '24h': { label: '24 h', ms: 24 * 3_600_000 },
  '7d': { label: '7 d', ms: 7 * 24 * 3_600_000 },
} as const;
type Preset = keyof typeof PRESETS;
const LIVE_REFRESH_MS = 10_000;
const HEATMAP_FROM = 12;

class ResponseStatusError extends Error {
  constructor(
    url: string,
    readonly status: number,
  ) {
    super(`${url}: ${status}`);
  }
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new ResponseStatusError(url, response.status);
  return (await response.json()) as T;
}

/** Everything about one breaker: live state, charts over a chosen range, instances, configuration, transitions. */
export function BreakerDetailScreen({ id }: { id: string }) {
  useLiveScope({ kind: 'breaker', breakerId: id });
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const preset: Preset = (params.get('range') ?? 'live') in PRESETS ? ((params.get('range') ?? 'live') as Preset) : 'live';

  const summary = useBreakers((state) => state.byId.get(id));
  const instances = useBreakers((state) => state.instances[id]);
  const liveTransitions = useBreakers((state) => state.transitions);
  const [detail, setDetail] = useState<TBreakerDetail | null>(null);
  const [series, setSeries] = useState<{ data: TMetricsSeries; from: number; to: number } | null>(null);
  const [history, setHistory] = useState<TTransitionRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    getJson<TBreakerDetail>(`/api/v1/breakers/${id}`).then(setDetail, (failure: unknown) => {
      // 404: no such breaker; a malformed id is answered 400 and is no breaker either.
      if (failure instanceof ResponseStatusError && (failure.status === 404 || failure.status === 400)) setMissing(true);
      else setError('The breaker could not be loaded; reload the page to try again.');
    });
  }, [id]);

  useEffect(() => {
    if (!detail) return;
    let cancelled = false;
    const load = () => {
      const to = Date.now();
      const from = to - PRESETS[preset].ms;
      const { service, name } = detail.breaker;
      Promise.all([
        getJson<TMetricsSeries>(`/api/v1/breakers/${id}/metrics?from=${from}&to=${to}`),
        getJson<{ transitions: TTransitionRecord[] }>(`/api/v1/transitions?service=${encodeURIComponent(service)}&breaker=${encodeURIComponent(name)}&from=${from}&to=${to}&limit=5000`),
      ]).then(
        ([data, transitions]) => {
          if (cancelled) return;
          setSeries({ data, from, to });
          setHistory(transitions.transitions);
          setNow(to);
        },
        () => !cancelled && setError('The metrics could not be loaded; retrying.'),
      );
    };
    load();
    const timer = preset === 'live' ? setInterval(load, LIVE_REFRESH_MS) : undefined;
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [detail, id, preset]);

  const current = summary ?? detail?.breaker;
  const shownInstances = useMemo(() => instances ?? detail?.instances ?? [], [instances, detail]);
  const drifted = useMemo(() => configDrift(shownInstances), [shownInstances]);
  const recent = useMemo(() => {
    const live = liveTransitions.filter((record) => record.breakerId === id);
    const seen = new Set(live.map((record) => record.id));
    return [...live, ...(detail?.recentTransitions ?? []).filter((record) => !seen.has(record.id))].slice(0, 30);
  }, [liveTransitions, detail, id]);

  if (missing) notFound();
  if (error && !detail) return <p role="alert">{error}</p>;
  if (!current) return <p className={styles.muted}>Loading…</p>;
  const config = detail?.config ?? null;
  const forced = current.state === 'FORCED_OPEN' || current.state === 'FORCED_CLOSED';
  const noLatency = noLatencyReason(current.clients.kinds);

  return (
    <>
      <p>
        <Link href="/">← All breakers</Link>
      </p>
      <div className={styles.header}>
        <h2>
          {current.service} → {current.name}
        </h2>
        <StateBadge status={breakerStatus(current)} />
        {forced && current.wouldBe && (
          <span>
            {current.state} — would be {current.wouldBe}, {formatPercent(current.rates.failureRate)} failures
          </span>
        )}
        <span className={styles.muted}>
          {current.instances.total} instances{current.instances.stale ? `, ${current.instances.stale} stale` : ''}
        </span>
      </div>
      <LiveFigures rates={current.rates} state={current.state} rejectedSinceLastCall={series ? trailingRejected(series.data.points) : 0} noLatency={noLatency} />
      <BreakerControls summary={current} instances={shownInstances.map((instance) => ({ name: instance.name, labels: instance.labels, readOnly: readOnlyReason(instance.client) }))} />
      <div className={styles.presets} role="group" aria-label="Time range">
        {(Object.keys(PRESETS) as Preset[]).map((key) => (
          <button key={key} type="button" aria-pressed={key === preset} onClick={() => router.replace(key === 'live' ? pathname : `${pathname}?range=${key}`, { scroll: false })}>
            {PRESETS[key].label}
          </button>
        ))}
      </div>
      <div className={styles.layout}>
        <section aria-label="Charts">
          {series ? (
            <>
              <MetricsCharts
                points={toChartPoints(series.data.points, series.data.step)}
                stepSeconds={series.data.step}
                from={series.from}
                to={series.to}
                failureThreshold={config?.failureRateThreshold ?? null}
                slowThreshold={config?.slowCallRateThreshold ?? null}
                state={current.state}
                noLatency={noLatency}
              />
              <StateBand segments={serviceWideSegments(history, series.to)} from={series.from} to={series.to} />
              <p className={styles.muted}>
                {series.data.points.length} points of {formatDuration(series.data.step * 1000)} from the {formatDuration(series.data.resolutionSeconds * 1000)} buckets.
              </p>
            </>
          ) : (
            <p className={styles.muted}>Loading charts…</p>
          )}
          {shownInstances.length >= HEATMAP_FROM && <InstanceHeatmap instances={shownInstances} />}
          <InstancesTable instances={shownInstances} drifted={drifted} now={now} />
        </section>
        <aside className={styles.side}>
          <h3>Configuration</h3>
          <ConfigList config={config} />
          <h3>Recent transitions</h3>
          <ol className={styles.transitions}>
            {recent.map((record) => (
              <li key={record.id}>
                <time dateTime={new Date(record.at).toISOString()} title={new Date(record.at).toISOString()}>
                  {new Date(record.at).toLocaleTimeString()}
                </time>{' '}
                {record.instance ?? 'panel'}: {record.from ?? '–'} → {record.to} ({record.cause.replaceAll('_', ' ')})
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </>
  );
}
