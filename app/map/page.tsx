import { DisconnectedBanner, LiveStatus } from '../live-status';
import styles from '../page.module.css';
import { MapScreen } from './map-screen';

export const metadata = { title: 'Map · Breaker Panel' };

export default function MapPage() {
  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Dependency map</h1>
        <LiveStatus />
      </header>
      <DisconnectedBanner />
      <MapScreen />
    </main>
  );
}
