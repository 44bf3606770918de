import { STATUS_LABEL, type TBreakerStatus } from '../../lib/api/breaker-status';
import { EDGE_LINE } from './edge-look';
import styles from './map.module.css';

const SHOWN: TBreakerStatus[] = ['open', 'half_open', 'forced_open', 'forced_closed', 'stale', 'closed'];

/** The edge styles in words, drawn from the same table as the map's lines: the map never relies on colour alone. */
export function MapLegend() {
  return (
    <ul className={styles.legend} aria-label="Edge states">
      {SHOWN.map((status) => {
        const line = EDGE_LINE[status];
        return (
          <li key={status}>
            <svg width="26" height="10" aria-hidden>
              <path d="M0,5H26" style={{ fill: 'none', stroke: `var(${line.colour})`, strokeWidth: line.width, strokeOpacity: line.opacity, strokeDasharray: line.dash.join(' ') || undefined }} />
            </svg>
            {STATUS_LABEL[status]}
          </li>
        );
      })}
    </ul>
  );
}
