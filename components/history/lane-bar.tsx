import type { TLaneSegment } from '../../lib/history/lane-state';
import type { TActionMark, TTripMark } from '../../lib/history/timeline';
import { formatRate, localTime, utcTime } from './format-time';
import { mergeForWidth } from './merge-segments';
import styles from './history.module.css';

const COLUMNS = 1000;
// Short names written on wide segments, so a state never reads by colour alone.
const SHORT: Record<TLaneSegment['state'], string> = { CLOSED: 'closed', OPEN: 'OPEN', HALF_OPEN: 'half-open', FORCED_OPEN: 'FORCED OPEN', FORCED_CLOSED: 'forced closed', STALE: 'stale' };

export interface LaneBarProps {
  label: string;
  from: number;
  to: number;
  segments: readonly TLaneSegment[];
  trips?: readonly TTripMark[];
  actions?: readonly TActionMark[];
  /** Where a trip links to: the breaker's detail around that moment. */
  linkFor?: (at: number) => string;
}

/**
 * One swimlane: coloured segments per state (with a pattern for the open
 * states and their name when wide enough), trips as triangles and operator
 * actions as diamonds, each with its facts on hover.
 */
export function LaneBar({ label, from, to, segments, trips = [], actions = [], linkFor }: LaneBarProps) {
  const span = Math.max(1, to - from);
  const x = (at: number) => ((at - from) / span) * COLUMNS;
  const shown = mergeForWidth(segments, from, to, COLUMNS / 2);
  return (
    <svg
      className={styles.lane}
      viewBox={`0 0 ${COLUMNS} 24`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${label}: ${shown.length} state segments, ${trips.length} trips, ${actions.length} operator actions`}
    >
      {shown.map((segment) => {
        const left = x(segment.from);
        const width = Math.max(1.5, x(segment.to) - left);
        return (
          <g key={`${segment.from}-${segment.state}`} data-state={segment.state} className={styles.segment}>
            <rect x={left} y={2} width={width} height={20}>
              <title>{`${segment.state.replace('_', ' ')} · ${localTime(segment.from)} → ${localTime(segment.to)}\n${utcTime(segment.from)} → ${utcTime(segment.to)}`}</title>
            </rect>
            {width > 90 ? (
              <text x={left + 4} y={16} className={styles.segmentText}>
                {SHORT[segment.state]}
              </text>
            ) : null}
          </g>
        );
      })}
      {trips.map((trip) => {
        const marker = (
          <path d={`M ${x(trip.at)} 0 l 5 8 l -10 0 z`} className={styles.trip}>
            <title>{`Trip on ${trip.instance} at ${localTime(trip.at)} (${utcTime(trip.at)})\n${trip.cause.replace(/_/g, ' ')}: failure rate ${formatRate(trip.failureRate)}, slow calls ${formatRate(trip.slowCallRate)}`}</title>
          </path>
        );
        return linkFor ? (
          <a key={`t-${trip.at}-${trip.instance}`} href={linkFor(trip.at)}>
            {marker}
          </a>
        ) : (
          <g key={`t-${trip.at}-${trip.instance}`}>{marker}</g>
        );
      })}
      {actions.map((action) => (
        <path key={`a-${action.at}-${action.action}`} d={`M ${x(action.at)} 14 l 5 5 l -5 5 l -5 -5 z`} className={styles.action} data-action={action.action}>
          <title>{`${action.action.replace('_', ' ')} by ${action.by ?? 'nobody (override expired)'} at ${localTime(action.at)} (${utcTime(action.at)})\nWhy: ${action.reason ?? '–'}`}</title>
        </path>
      ))}
    </svg>
  );
}
