'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { MapLegend } from '../../components/map/map-legend';
import styles from '../../components/map/map.module.css';
import { useBreakers, useLiveScope } from '../_live/live-provider';
import { useThrottled } from '../_live/use-throttled';
import { buildTopology, topologyKey } from './map-topology';
import { MapView } from './map-view';
import { useMapLayout } from './use-map-layout';

/** How often the map looks for breakers that appeared or went (state changes recolour edges at once, regardless). */
const TOPOLOGY_REFRESH_MS = 1_000;

/**
 * The dependency map: services on the left, the dependencies their breakers
 * protect on the right, one edge per breaker coloured by its live state.
 * Laid out once per set of breakers; state changes only recolour edges.
 */
export function MapScreen() {
  useLiveScope({ kind: 'all' });
  const router = useRouter();
  // The store replaces byId on every change: throttled, the topology is looked at once a second.
  const byId = useThrottled(
    useBreakers((state) => state.byId),
    TOPOLOGY_REFRESH_MS,
  );
  const loaded = useBreakers((state) => state.loaded);
  const breakers = useMemo(() => [...byId.values()], [byId]);
  const key = useMemo(() => topologyKey(breakers), [breakers]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key names the set of breakers: only a new set needs a new topology
  const topology = useMemo(() => buildTopology(breakers), [key]);
  const answer = useMapLayout(key, topology);

  const open = useCallback(
    (breakerId: string, newTab: boolean) => {
      const href = `/breakers/${breakerId}`;
      if (newTab) window.open(href, '_blank', 'noopener');
      else router.push(href);
    },
    [router],
  );

  if (!loaded) return <p className={styles.empty}>Waiting for data…</p>;
  if (topology.edges.length === 0) return <p className={styles.empty}>No breaker has reported yet: services appear here as soon as their breakers do.</p>;
  const services = topology.nodes.filter((node) => node.kind !== 'dependency').length;
  const dependencies = topology.nodes.filter((node) => node.kind !== 'service').length;
  return (
    <>
      <div className={styles.meta}>
        <span aria-label="Map size">
          {services} services · {dependencies} dependencies · {topology.edges.length} breakers
          {answer && ` · laid out in ${answer.layoutMs < 1000 ? `${Math.round(answer.layoutMs)} ms` : `${(answer.layoutMs / 1000).toFixed(1)} s`}`}
        </span>
        <MapLegend />
      </div>
      {/* While a new set of breakers is laid out, the previous layout stays. */}
      {answer ? (
        <MapView topology={answer.topology} layout={answer.layout} layoutMs={answer.layoutMs} onOpen={open} />
      ) : (
        <div className={styles.frame}>
          <p className={styles.empty}>Laying out {topology.edges.length} breakers…</p>
        </div>
      )}
    </>
  );
}
