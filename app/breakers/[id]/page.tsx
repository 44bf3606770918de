import { Suspense } from 'react';
import { DisconnectedBanner, LiveStatus } from '../../live-status';
import styles from '../../page.module.css';
import { BreakerDetailScreen } from './breaker-detail-screen';

export default async function BreakerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Breaker Panel</h1>
        <LiveStatus />
      </header>
      <DisconnectedBanner />
      <Suspense>
        <BreakerDetailScreen id={id} />
      </Suspense>
    </main>
  );
}
