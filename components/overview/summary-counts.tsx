import styles from './overview.module.css';

export interface OverviewCounts {
  breakers: number;
  open: number;
  halfOpen: number;
  forced: number;
  staleInstances: number;
}

/** The counts an on-call engineer reads first. */
export function SummaryCounts({ counts }: { counts: OverviewCounts }) {
  const items: Array<[string, number, boolean]> = [
    ['Open', counts.open, counts.open > 0],
    ['Half-open', counts.halfOpen, counts.halfOpen > 0],
    ['Forced', counts.forced, counts.forced > 0],
    ['Stale instances', counts.staleInstances, counts.staleInstances > 0],
    ['Breakers', counts.breakers, false],
  ];
  return (
    <dl className={styles.counts} aria-label="Summary">
      {items.map(([label, value, alert]) => (
        <div key={label} className={styles.count} data-alert={alert || undefined}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
