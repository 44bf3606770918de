'use client';

import Link from 'next/link';
import styles from './route-states.module.css';

export interface RouteErrorProps {
  /** What the page is, in the reader's words: "the history", "this breaker". */
  what: string;
  error: Error & { digest?: string };
  reset(): void;
}

/**
 * What a page shows when it fails to render: what failed, a retry, and a way
 * back; never the raw message of a server error (Next.js hides it and gives a
 * digest that the server log carries).
 */
export function RouteError({ what, error, reset }: RouteErrorProps) {
  return (
    <main className={styles.page}>
      <h1 className={styles.title}>Something went wrong</h1>
      <div className={styles.notice} role="alert">
        <p>Breaker Panel could not show {what}. The breakers themselves are not affected: they keep running on their own.</p>
        {error.digest ? <p className={styles.muted}>Reference for the server log: {error.digest}</p> : null}
        <div className={styles.actions}>
          <button type="button" onClick={reset}>
            Try again
          </button>
          <Link href="/">All breakers</Link>
        </div>
      </div>
    </main>
  );
}
