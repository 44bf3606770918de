import styles from './admin.module.css';

/** A secret the server will never show again: say so, and make it easy to select. */
export function OneTimeSecret({ label, value, onDismiss }: { label: string; value: string; onDismiss: () => void }) {
  return (
    <div role="region" aria-label={label} className={styles.secret}>
      <strong>{label}</strong> — copy it now; it is not shown again.
      <code>{value}</code>
      <button type="button" className={styles.button} onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}
