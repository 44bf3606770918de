import type { MouseEvent } from 'react';
import { STATUS_LABEL, type TBreakerStatus } from '../../lib/api/breaker-status';
import styles from './map.module.css';

/** What an edge shows of its breaker: a status and the instance counts behind it. */
export interface EdgeLook {
  status: TBreakerStatus;
  /** Instances in OPEN or FORCED_OPEN. */
  open: number;
  halfOpen: number;
  total: number;
  stale: number;
}

/** "2/3 open", "1/3 half-open", "3 live · 1 stale": the instance counts in words. */
export function edgeCounts({ open, halfOpen, total, stale }: EdgeLook): string {
  const main = open > 0 ? `${open}/${total} open` : halfOpen > 0 ? `${halfOpen}/${total} half-open` : `${total - stale}/${total} live`;
  return stale > 0 ? `${main} · ${stale} stale` : main;
}

const QUIET: ReadonlySet<TBreakerStatus> = new Set(['closed', 'idle', 'no_data']);

/**
 * One breaker on the map: a line from its service to the dependency it
 * protects, coloured (and dashed or thickened, for colour-blind eyes) by its
 * status; a link to the breaker's page. Unhealthy edges carry their instance
 * counts in the middle.
 */
export function MapEdge({
  href,
  service,
  breaker,
  path,
  middle,
  look,
  onOpen,
}: {
  href: string;
  service: string;
  breaker: string;
  path: string;
  middle: { x: number; y: number };
  look: EdgeLook;
  onOpen(event: MouseEvent<Element>): void;
}) {
  const counts = edgeCounts(look);
  const label = `${service} → ${breaker}: ${STATUS_LABEL[look.status]}, ${counts}`;
  return (
    <a href={href} aria-label={label} className={styles.edge} data-status={look.status} onClick={onOpen}>
      <title>{label}</title>
      <path d={path} className={styles.hit} />
      <path d={path} className={styles.line} />
      {!QUIET.has(look.status) && (
        <text x={middle.x} y={middle.y - 4} className={styles.count} textAnchor="middle">
          {look.open > 0 ? `${look.open}/${look.total}` : look.halfOpen > 0 ? `${look.halfOpen}/${look.total}` : look.stale > 0 ? `${look.stale} stale` : ''}
        </text>
      )}
    </a>
  );
}
