'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import { breakerStatus, STATUS_LABEL, type TBreakerStatus } from '../../lib/api/breaker-status';
import { BreakerRow, ROW_HEADERS } from '../../components/overview/breaker-row';
import { OverviewFilters, type OverviewFilterValues } from '../../components/overview/overview-filters';
import styles from '../../components/overview/overview.module.css';
import { SummaryCounts } from '../../components/overview/summary-counts';
import { useCan } from '../_access/access-provider';
import { useBreakers, useConnection, useLiveScope, useSeededTrend } from '../_live/live-provider';
import { BulkActions } from './bulk-actions';
import { useThrottled } from '../_live/use-throttled';
import { selectOverview } from './overview-selection';
import { useRowKeys } from './use-row-keys';

const ROW_HEIGHT = 36;
const ORDER_REFRESH_MS = 1_000;

function readFilters(params: URLSearchParams): OverviewFilterValues {
  const status = params.get('state') ?? '';
  return {
    search: params.get('q') ?? '',
    service: params.get('service') ?? '',
    status: status in STATUS_LABEL ? (status as TBreakerStatus) : '',
    group: params.get('group') === '1',
  };
}

/** One row, subscribed to its own breaker only: a delta re-renders the rows it changed. */
function ConnectedRow({ id, selected, onToggle }: { id: string; selected: boolean; onToggle?: (id: string) => void }) {
  const summary = useBreakers((state) => state.byId.get(id));
  const trend = useSeededTrend(id);
  if (!summary) return null;
  return <BreakerRow summary={summary} status={breakerStatus(summary)} trend={trend} selection={onToggle ? { selected, onToggle: () => onToggle(id) } : undefined} />;
}

/** The overview: every breaker of every service, unhealthy first, filtered from the URL. */
export function OverviewScreen() {
  useLiveScope({ kind: 'all' });
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => readFilters(new URLSearchParams(params.toString())), [params]);

  const setFilters = useCallback(
    (next: OverviewFilterValues) => {
      const query = new URLSearchParams();
      if (next.search) query.set('q', next.search);
      if (next.service) query.set('service', next.service);
      if (next.status) query.set('state', next.status);
      if (next.group) query.set('group', '1');
      const search = query.toString();
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  // Order, counts and the service list come from the whole map: recomputed at most once a second.
  const byId = useThrottled(
    useBreakers((state) => state.byId),
    ORDER_REFRESH_MS,
  );
  const { lines, counts, services } = useMemo(() => selectOverview(byId.values(), filters), [byId, filters]);
  const loaded = useBreakers((state) => state.loaded);
  const live = useConnection((state) => state.status === 'live');
  const canAct = useCan('operator');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );

  const scroller = useRef<HTMLDivElement>(null);
  // Without flushSync a scroll's rows render in React's next batch, not synchronously inside the scroll event.
  // eslint-disable-next-line react-hooks/incompatible-library -- the React Compiler is not in use; the virtualizer re-renders us itself
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12, useFlushSync: false });
  const search = useRef<HTMLInputElement>(null);
  const openBreaker = useCallback((id: string) => router.push(`/breakers/${id}`), [router]);
  const { activeId } = useRowKeys({ lines, search, list: scroller, scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }), open: openBreaker });

  return (
    <>
      <SummaryCounts counts={counts} />
      <OverviewFilters values={filters} services={services} onChange={setFilters} searchRef={search} />
      {canAct && <BulkActions selected={selected} onSelect={setSelected} />}
      <div role="table" aria-label="Breakers" aria-rowcount={lines.length} className={live ? undefined : styles.notLive} aria-busy={!live}>
        <div role="rowgroup">
          <div role="row" className={styles.columns}>
            {ROW_HEADERS.map((header) => (
              <span role="columnheader" key={header}>
                {header}
              </span>
            ))}
          </div>
        </div>
        <div ref={scroller} className={styles.list} role="rowgroup" aria-keyshortcuts="/ j k Enter">
          {lines.length === 0 ? (
            <p className={styles.empty}>{loaded ? 'No breaker matches these filters.' : 'Waiting for data…'}</p>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const line = lines[item.index]!;
                return (
                  <div
                    key={line.kind === 'group' ? `g:${line.service}` : line.id}
                    data-breaker-id={line.kind === 'breaker' ? line.id : undefined}
                    data-active={line.kind === 'breaker' && line.id === activeId ? '' : undefined}
                    className={styles.line}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                  >
                    {line.kind === 'group' ? (
                      <div role="row" className={styles.group}>
                        <span role="cell">
                          {line.service} · {line.count}
                        </span>
                      </div>
                    ) : (
                      <ConnectedRow id={line.id} selected={selected.has(line.id)} onToggle={canAct ? toggle : undefined} />
                    )}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
      <p className={styles.keys}>
        <kbd>/</kbd> search · <kbd>j</kbd> <kbd>k</kbd> next and previous breaker · <kbd>Enter</kbd> open it
      </p>
    </>
  );
}
