import { Suspense } from 'react';
import { DisconnectedBanner, LiveStatus } from '../live-status';
import styles from '../page.module.css';
import { AuditScreen } from './audit-screen';

export default function AuditPage() {
  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Audit trail</h1>
        <LiveStatus />
      </header>
      <DisconnectedBanner />
      <Suspense>
        <AuditScreen />
      </Suspense>
    </main>
  );
}
