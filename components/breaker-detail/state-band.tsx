import type { TBreakerState } from '../../lib/protocol/breaker-state';
import styles from './breaker-detail.module.css';

export interface StateSegment {
  state: TBreakerState;
  from: number;
  to: number;
}

/**
 * The service-wide state over the chart's range, as coloured segments with
 * their state written on them when wide enough (never colour alone).
 */
export function StateBand({ segments, from, to }: { segments: StateSegment[]; from: number; to: number }) {
  const span = Math.max(1, to - from);
  return (
    <div className={styles.band} role="img" aria-label={`State over time: ${segments.map((segment) => segment.state).join(', ') || 'no data'}`}>
      {segments.map((segment) => {
        const left = ((Math.max(segment.from, from) - from) / span) * 100;
        const width = ((Math.min(segment.to, to) - Math.max(segment.from, from)) / span) * 100;
        if (width <= 0) return null;
        return (
          <span
            key={`${segment.from}-${segment.state}`}
            className={styles.segment}
            data-state={segment.state}
            style={{ left: `${left}%`, width: `${width}%` }}
            title={`${segment.state} from ${new Date(segment.from).toLocaleString()}`}
          >
            {width > 8 ? segment.state.replace('_', ' ') : ''}
          </span>
        );
      })}
    </div>
  );
}
