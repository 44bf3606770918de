import { STATUS_LABEL, type TBreakerStatus } from '../../lib/api/breaker-status';
import styles from './map.module.css';

const SHOWN: TBreakerStatus[] = ['open', 'half_open', 'forced_open', 'forced_closed', 'stale', 'closed'];

/** The edge styles in words: the map never relies on colour alone. */
export function MapLegend() {
  return (
    <ul className={styles.legend} aria-label="Edge states">
      {SHOWN.map((status) => (
        <li key={status}>
          <svg width="26" height="10" aria-hidden>
            <g className={styles.edge} data-status={status}>
              <path d="M0,5H26" className={styles.line} />
            </g>
          </svg>
          {STATUS_LABEL[status]}
        </li>
      ))}
    </ul>
  );
}
