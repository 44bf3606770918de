import styles from './map.module.css';

/** Longer names are cut (the full name is the node's tooltip): the layout gives a node at most this many characters' width. */
const MAX_CHARS = 30;

/**
 * A service or dependency on the map. A dependency tells how many of the
 * breakers guarding it are open across the fleet, so one failing dependency
 * stands out however many services call it.
 */
export function MapNode({
  name,
  kind,
  x,
  y,
  width,
  height,
  trippedOf,
}: {
  name: string;
  kind: 'service' | 'dependency' | 'both';
  x: number;
  y: number;
  width: number;
  height: number;
  trippedOf: { tripped: number; of: number } | null;
}) {
  const tripped = trippedOf && trippedOf.tripped > 0 ? trippedOf : null;
  return (
    <g
      className={styles.node}
      data-kind={kind}
      data-tripped={tripped ? '' : undefined}
      transform={`translate(${(x - width / 2).toFixed(1)},${(y - height / 2).toFixed(1)})`}
      role="listitem"
      aria-label={tripped ? `${name}: ${tripped.tripped} of ${tripped.of} breakers open` : name}
    >
      <rect width={width} height={height} rx={kind === 'service' ? 4 : 13} />
      <title>{name}</title>
      <text x={width / 2} y={height / 2} dominantBaseline="central" textAnchor="middle">
        {name.length > MAX_CHARS ? `${name.slice(0, MAX_CHARS - 1)}…` : name}
        {tripped && <tspan className={styles.tripped}>{` ${tripped.tripped}/${tripped.of}`}</tspan>}
      </text>
    </g>
  );
}
