import styles from './history.module.css';

const ENTRIES = [
  ['CLOSED', 'closed (short bar)', 'var(--state-closed)'],
  ['HALF_OPEN', 'half-open', 'var(--state-half-open)'],
  ['OPEN', 'open', 'var(--state-open)'],
  ['FORCED_OPEN', 'forced open', 'var(--state-forced-open)'],
  ['FORCED_CLOSED', 'forced closed (short bar)', 'var(--state-forced-closed)'],
  ['STALE', 'stale (short, faded)', 'var(--state-stale)'],
] as const;

/** What the lanes' colours, heights and marks mean. */
export function StateLegend() {
  return (
    <div className={styles.legend} aria-label="Legend">
      {ENTRIES.map(([state, label, colour]) => (
        <span key={state}>
          <span className={styles.swatch} style={{ background: colour }} />
          {label}
        </span>
      ))}
      <span>▲ trip (hover: the rates that caused it)</span>
      <span>◆ operator action (hover: who, what, why)</span>
      <span>┆ deploy</span>
    </div>
  );
}
