import { Suspense } from 'react';
import { DisconnectedBanner, LiveStatus } from './live-status';
import { OverviewScreen } from './overview/overview-screen';
import styles from './page.module.css';

export default function OverviewPage() {
  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Breaker Panel</h1>
        <LiveStatus />
      </header>
      <DisconnectedBanner />
      <Suspense>
        <OverviewScreen />
      </Suspense>
    </main>
  );
}
