import { STATUS_LABEL, type TBreakerStatus } from '../lib/api/breaker-status';
import styles from './state-badge.module.css';

// A shape per status as well as a colour, so the states stay apart for colour-blind eyes and in greyscale.
const SHAPE: Record<TBreakerStatus, string> = {
  open: '▲',
  stuck: '▲',
  forced_open: '■',
  half_open: '◐',
  forced_closed: '□',
  closed: '●',
  idle: '○',
  stale: '⌀',
  no_data: '…',
};

export function StateBadge({ status }: { status: TBreakerStatus }) {
  return (
    <span className={styles.badge} data-status={status}>
      <span aria-hidden className={styles.shape}>
        {SHAPE[status]}
      </span>
      {STATUS_LABEL[status]}
    </span>
  );
}
