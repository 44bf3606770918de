import type { TNotificationDeliveryView } from '../../lib/notify/deliveries';
import styles from './admin.module.css';
import { formatEpoch } from './format-epoch';

/** The webhook delivery log, newest first: what was sent where, how often, and how it ended. */
export function DeliveryLogSection({ deliveries }: { deliveries: TNotificationDeliveryView[] }) {
  return (
    <section className={styles.section} aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Delivery log</h2>
      {deliveries.length === 0 ? <p className={styles.muted}>Nothing sent yet.</p> : null}
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Created</th>
            <th>Endpoint</th>
            <th>Event</th>
            <th>Breaker</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Answer</th>
            <th>Last attempt</th>
            <th>Next attempt</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id}>
              <td className={styles.muted}>{formatEpoch(delivery.createdAt)}</td>
              <td>{delivery.endpoint}</td>
              <td>
                <code>{delivery.eventType}</code>
              </td>
              <td>{delivery.service && delivery.breaker ? `${delivery.service} / ${delivery.breaker}` : '—'}</td>
              <td className={delivery.status === 'failed' ? styles.error : undefined}>{delivery.status}</td>
              <td>{delivery.attempts}</td>
              <td className={styles.muted}>{delivery.lastError ?? (delivery.lastStatusCode === null ? '—' : `HTTP ${delivery.lastStatusCode}`)}</td>
              <td className={styles.muted}>{formatEpoch(delivery.lastAttemptAt)}</td>
              <td className={styles.muted}>{formatEpoch(delivery.nextAttemptAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
