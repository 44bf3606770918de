'use client';

import { useRouter } from 'next/navigation';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type MouseEvent, type RefObject } from 'react';
import { breakerStatus, UNHEALTHY } from '../../lib/api/breaker-status';
import { MapEdge, type EdgeLook } from '../../components/map/map-edge';
import { MapLegend } from '../../components/map/map-legend';
import { MapNode } from '../../components/map/map-node';
import styles from '../../components/map/map.module.css';
import { useBreakers, useLiveScope } from '../_live/live-provider';
import { useThrottled } from '../_live/use-throttled';
import { NODE_HEIGHT, type MapLayout, type PlacedEdge } from './map-layout';
import { buildTopology, topologyKey, type MapEdge as TopologyEdge, type MapNode as TopologyNode, type MapTopology } from './map-topology';
import { useMapLayout } from './use-map-layout';

/** How often the map looks for breakers that appeared or went (state changes recolour edges at once, regardless). */
const TOPOLOGY_REFRESH_MS = 1_000;

/** An edge's look as one string, so its selector re-renders the edge only when what it shows changed, not on every rates update. */
function lookKey(id: string) {
  return (state: { byId: ReadonlyMap<string, Parameters<typeof breakerStatus>[0]> }): string => {
    const summary = state.byId.get(id);
    if (!summary) return 'no_data|0|0|0|0';
    const { byState, total, stale } = summary.instances;
    return `${breakerStatus(summary)}|${byState.OPEN + byState.FORCED_OPEN}|${byState.HALF_OPEN}|${total}|${stale}`;
  };
}

function parseLook(key: string): EdgeLook {
  const [status, open, halfOpen, total, stale] = key.split('|');
  return { status: status as EdgeLook['status'], open: Number(open), halfOpen: Number(halfOpen), total: Number(total), stale: Number(stale) };
}

/** One edge, subscribed to its own breaker: a trip recolours this edge and nothing else. */
function ConnectedEdge({ edge, placed, onOpen }: { edge: TopologyEdge; placed: PlacedEdge; onOpen(event: MouseEvent<Element>, breakerId: string): void }) {
  const look = parseLook(useBreakers(useMemo(() => lookKey(edge.breakerId), [edge.breakerId])));
  return (
    <MapEdge
      href={`/breakers/${edge.breakerId}`}
      service={edge.from}
      breaker={edge.breakerName}
      path={placed.path}
      middle={placed.middle}
      look={look}
      onOpen={(event) => onOpen(event, edge.breakerId)}
    />
  );
}

/** One node; a dependency counts its guarding breakers that are unhealthy. */
function ConnectedNode({ node, x, y, width }: { node: TopologyNode; x: number; y: number; width: number }) {
  const tripped = useBreakers((state) => {
    let count = 0;
    for (const id of node.incoming) {
      const summary = state.byId.get(id);
      if (summary && UNHEALTHY.has(breakerStatus(summary)) && breakerStatus(summary) !== 'stale') count += 1;
    }
    return count;
  });
  return <MapNode name={node.id} kind={node.kind} x={x} y={y} width={width} height={NODE_HEIGHT} trippedOf={node.incoming.length ? { tripped, of: node.incoming.length } : null} />;
}

/** The stretch of the map drawn: what is in view and a screen or so around it, in steps, so scrolling re-renders now and then, not per pixel. */
interface Band {
  top: number;
  bottom: number;
}

const BAND_STEP = 400;
const BAND_MARGIN = 800;

function bandOf(frame: HTMLElement | null): Band {
  if (!frame) return { top: 0, bottom: 2 * BAND_MARGIN };
  return {
    top: Math.floor((frame.scrollTop - BAND_MARGIN) / BAND_STEP) * BAND_STEP,
    bottom: Math.ceil((frame.scrollTop + frame.clientHeight + BAND_MARGIN) / BAND_STEP) * BAND_STEP,
  };
}

/** The band of `frame` in view, following its scrolling and resizing. */
function useBand(frame: RefObject<HTMLDivElement | null>): Band {
  const [band, setBand] = useState<Band>({ top: 0, bottom: 2 * BAND_MARGIN });
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const update = () =>
      setBand((current) => {
        const next = bandOf(element);
        return next.top === current.top && next.bottom === current.bottom ? current : next;
      });
    update();
    element.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      observer.disconnect();
    };
  });
  return band;
}

/**
 * Every edge and node of one layout within the band in view (a map of 200
 * services is metres tall; drawing only what can be seen keeps the page from
 * painting 2,000 paths on every recolour). Memoised: the screen re-renders each
 * second for its counts, and reconciling 2,400 elements each time would cost
 * frames; only the edges and nodes whose breakers changed re-render.
 */
const MapDrawing = memo(function MapDrawing({
  topology,
  layout,
  layoutMs,
  band,
  onOpen,
}: {
  topology: MapTopology;
  layout: MapLayout;
  layoutMs: number;
  band: Band;
  onOpen(event: MouseEvent<Element>, breakerId: string): void;
}) {
  const inBand = (top: number, bottom: number) => bottom >= band.top && top <= band.bottom;
  return (
    <svg width={layout.width} height={layout.height} role="img" aria-label="Dependency map" data-layout-ms={layoutMs.toFixed(0)} data-breakers={topology.edges.length}>
      <g>
        {topology.edges.map((edge, index) => {
          const placed = layout.edges[index]!;
          return inBand(placed.top, placed.bottom) ? <ConnectedEdge key={edge.breakerId} edge={edge} placed={placed} onOpen={onOpen} /> : null;
        })}
      </g>
      <g role="list" aria-label="Services and dependencies">
        {topology.nodes.map((node) => {
          const placed = layout.nodes.get(node.id);
          return placed && inBand(placed.y - placed.height / 2, placed.y + placed.height / 2) ? <ConnectedNode key={node.id} node={node} x={placed.x} y={placed.y} width={placed.width} /> : null;
        })}
      </g>
    </svg>
  );
});

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
  const frame = useRef<HTMLDivElement>(null);
  const band = useBand(frame);

  const open = useCallback(
    (event: MouseEvent<Element>, breakerId: string) => {
      // A plain click navigates inside the app; a modified one (new tab, new window) is left to the browser.
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
      event.preventDefault();
      router.push(`/breakers/${breakerId}`);
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
      <div className={styles.frame} ref={frame}>
        {/* While a new set of breakers is laid out, the previous layout stays. */}
        {answer ? (
          <MapDrawing topology={answer.topology} layout={answer.layout} layoutMs={answer.layoutMs} band={band} onOpen={open} />
        ) : (
          <p className={styles.empty}>Laying out {topology.edges.length} breakers…</p>
        )}
      </div>
    </>
  );
}
