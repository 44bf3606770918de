import styles from './route-states.module.css';

/** A page's skeleton while its segment loads: the title at once, grey bars where the content will be (no heading: the page's own arrives with it). */
export function RouteLoading({ title, rows = 6, chart = false }: { title: string; rows?: number; chart?: boolean }) {
  return (
    <main className={styles.page} aria-busy="true">
      <p className={styles.title}>{title}</p>
      <div className={styles.skeleton} role="status" aria-label={`Loading ${title}`}>
        {chart ? <span className={`${styles.bar} ${styles.tall}`} /> : null}
        {Array.from({ length: rows }, (_, index) => (
          <span key={index} className={styles.bar} />
        ))}
      </div>
    </main>
  );
}
