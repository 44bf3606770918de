import Link from 'next/link';
import type { ReactNode } from 'react';
import styles from './route-states.module.css';

/** A calm "not here" page: what was not found, and where to go instead. */
export function NotFoundNotice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className={styles.page}>
      <h1 className={styles.title}>{title}</h1>
      <div className={styles.notice}>
        {children}
        <div className={styles.actions}>
          <Link href="/">All breakers</Link>
          <Link href="/history">History</Link>
          <Link href="/audit">Audit trail</Link>
        </div>
      </div>
    </main>
  );
}
