import type { TDelivery } from '../../lib/control/operator-action';
import styles from './controls.module.css';

const WORDS: Record<TDelivery['status'], string> = { pending: 'queued, not fetched yet', sent: 'sent, waiting', applied: 'applied', failed: 'failed', offline: 'offline' };

/** Where the last command stands on each instance; updated live as acknowledgements arrive. */
export function DeliveriesList({ action, deliveries }: { action: string; deliveries: TDelivery[] }) {
  if (deliveries.length === 0) return <p className={styles.muted}>The last {action} reached no instance (none in scope yet).</p>;
  return (
    <table className={styles.deliveries}>
      <caption>Delivery of the last {action.replace('_', ' ')}</caption>
      <thead>
        <tr>
          <th scope="col">Instance</th>
          <th scope="col">Delivery</th>
          <th scope="col">State after</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr key={delivery.instanceId} data-status={delivery.status}>
            <td>{delivery.instance}</td>
            <td>
              {WORDS[delivery.status]}
              {delivery.error ? ` (${delivery.error.replaceAll('_', ' ')})` : ''}
            </td>
            <td>{delivery.state ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
