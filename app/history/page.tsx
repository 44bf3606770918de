import { Suspense } from 'react';
import { DisconnectedBanner, LiveStatus } from '../live-status';
import styles from '../page.module.css';
import { HistoryScreen } from './history-screen';

export default function HistoryPage() {
  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Breaker Panel · History</h1>
        <LiveStatus />
      </header>
      <DisconnectedBanner />
      <Suspense>
        <HistoryScreen />
      </Suspense>
    </main>
  );
}
