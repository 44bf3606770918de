import { LiveStatus } from './live-status';
import styles from './page.module.css';

export default function OverviewPage() {
  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Breaker Panel</h1>
        <LiveStatus />
      </header>
      <p className={styles.empty}>No breakers have reported yet.</p>
    </main>
  );
}
