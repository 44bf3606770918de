import type { TConnectionStatus as ConnectionStatus } from '../lib/live/dashboard-events';
import styles from './connection-indicator.module.css';

const LABELS: Record<ConnectionStatus, string> = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
};

/** Text and colour together, never colour alone. */
export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  return (
    <span role="status" aria-label="Connection" aria-live="polite" className={styles.indicator} data-status={status}>
      <span aria-hidden className={styles.dot} />
      {LABELS[status]}
    </span>
  );
}
