import { memo, useEffect, useMemo, useState, type MouseEvent } from 'react';
import { breakerStatus, UNHEALTHY } from '../../lib/api/breaker-status';
import { edgeLookOf, type EdgeLook } from '../../components/map/edge-look';
import { MapEdgeLink } from '../../components/map/map-edge';
import { MapNodeItem } from '../../components/map/map-node';
import styles from '../../components/map/map.module.css';
import { useBreakers } from '../_live/live-provider';
import type { MapEdge, MapNode, MapTopology } from './map-topology';

/** Items mounted per frame: 2,400 links and items at once would be a long task when the map opens. */
const SLICE = 300;

/** An edge's look as one string, so its selector re-renders the link only when what it says changed, not on every rates update. */
function lookKey(id: string) {
  return (state: { byId: ReadonlyMap<string, Parameters<typeof breakerStatus>[0]> }): string => {
    const { status, open, halfOpen, total, stale } = edgeLookOf(state.byId.get(id));
    return `${status}|${open}|${halfOpen}|${total}|${stale}`;
  };
}

function parseLook(key: string): EdgeLook {
  const [status, open, halfOpen, total, stale] = key.split('|');
  return { status: status as EdgeLook['status'], open: Number(open), halfOpen: Number(halfOpen), total: Number(total), stale: Number(stale) };
}

/** One edge's link, subscribed to its own breaker: a trip rewrites this link and nothing else. */
function ConnectedEdgeLink({ edge, index, onOpen, onFocusEdge }: { edge: MapEdge; index: number; onOpen(breakerId: string, newTab: boolean): void; onFocusEdge(index: number | null): void }) {
  const look = parseLook(useBreakers(useMemo(() => lookKey(edge.breakerId), [edge.breakerId])));
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    // A plain click (or Enter) navigates inside the app; a modified one (new tab, new window) is left to the browser.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(edge.breakerId, false);
  };
  return (
    <MapEdgeLink href={`/breakers/${edge.breakerId}`} service={edge.from} breaker={edge.breakerName} look={look} onOpen={open} onFocus={() => onFocusEdge(index)} onBlur={() => onFocusEdge(null)} />
  );
}

/** One node in words; a dependency counts its guarding breakers that are unhealthy. */
function ConnectedNodeItem({ node }: { node: MapNode }) {
  const tripped = useBreakers((state) => {
    let count = 0;
    for (const id of node.incoming) {
      const summary = state.byId.get(id);
      if (summary && UNHEALTHY.has(breakerStatus(summary)) && breakerStatus(summary) !== 'stale') count += 1;
    }
    return count;
  });
  return <MapNodeItem name={node.id} trippedOf={node.incoming.length ? { tripped, of: node.incoming.length } : null} />;
}

/**
 * The map in words: every service and dependency, and every breaker as a
 * link, for screen readers and the keyboard (Tab moves along the edges, the
 * map rings the focused one and shows its name, Enter opens it). Mounted in slices, one a frame;
 * after that, scrolling the map never touches them.
 */
export const MapIndex = memo(function MapIndex({
  topology,
  onOpen,
  onFocusEdge,
}: {
  topology: MapTopology;
  onOpen(breakerId: string, newTab: boolean): void;
  onFocusEdge(index: number | null): void;
}) {
  const [shown, setShown] = useState(SLICE);
  const total = topology.nodes.length + topology.edges.length;
  useEffect(() => {
    if (shown >= total) return;
    const frame = requestAnimationFrame(() => setShown((count) => count + SLICE));
    return () => cancelAnimationFrame(frame);
  }, [shown, total]);
  return (
    <>
      <ul className={styles.index} aria-label="Services and dependencies">
        {topology.nodes.slice(0, shown).map((node) => (
          <ConnectedNodeItem key={node.id} node={node} />
        ))}
      </ul>
      <ul className={styles.index} aria-label="Breakers">
        {topology.edges.slice(0, Math.max(0, shown - topology.nodes.length)).map((edge, index) => (
          <li key={edge.breakerId}>
            <ConnectedEdgeLink edge={edge} index={index} onOpen={onOpen} onFocusEdge={onFocusEdge} />
          </li>
        ))}
      </ul>
    </>
  );
});
