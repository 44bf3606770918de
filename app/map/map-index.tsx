import { memo, useCallback, useEffect, useState, useSyncExternalStore, type MouseEvent } from 'react';
import { MapEdgeLink } from '../../components/map/map-edge';
import { MapNodeItem } from '../../components/map/map-node';
import styles from '../../components/map/map.module.css';
import { trippedOf } from './draw-map';
import type { LookHub } from './look-hub';
import type { MapEdge, MapNode, MapTopology } from './map-topology';

/** Items mounted per frame: 2,400 links and items at once would be a long task when the map opens. */
const SLICE = 300;

/** One edge's link, told only of its own breaker's look: a trip rewrites this link and nothing else. */
function ConnectedEdgeLink({
  edge,
  index,
  hub,
  onOpen,
  onFocusEdge,
}: {
  edge: MapEdge;
  index: number;
  hub: LookHub;
  onOpen(breakerId: string, newTab: boolean): void;
  onFocusEdge(index: number | null): void;
}) {
  const subscribe = useCallback((listener: () => void) => hub.subscribe([edge.breakerId], listener), [hub, edge.breakerId]);
  const current = () => hub.look(edge.breakerId);
  const look = useSyncExternalStore(subscribe, current, current);
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

/** One node in words; a dependency counts its guarding breakers that are tripped. */
function ConnectedNodeItem({ node, hub }: { node: MapNode; hub: LookHub }) {
  const subscribe = useCallback((listener: () => void) => hub.subscribe(node.incoming, listener), [hub, node.incoming]);
  const current = () => trippedOf(node, (id) => hub.look(id));
  const tripped = useSyncExternalStore(subscribe, current, current);
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
  hub,
  onOpen,
  onFocusEdge,
}: {
  topology: MapTopology;
  hub: LookHub;
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
          <ConnectedNodeItem key={node.id} node={node} hub={hub} />
        ))}
      </ul>
      <ul className={styles.index} aria-label="Breakers">
        {topology.edges.slice(0, Math.max(0, shown - topology.nodes.length)).map((edge, index) => (
          <li key={edge.breakerId}>
            <ConnectedEdgeLink edge={edge} index={index} hub={hub} onOpen={onOpen} onFocusEdge={onFocusEdge} />
          </li>
        ))}
      </ul>
    </>
  );
});
