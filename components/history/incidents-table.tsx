'use client';

import { useMemo, useState } from 'react';
import type { TIncident, TIncidentList, TIncidentSort } from '../../lib/history/incidents';
import { formatCount, formatDuration } from '../../lib/format/humanize';
import { formatRate, localTime, utcTime } from './format-time';
import styles from './history.module.css';

export interface IncidentsTableProps {
  list: TIncidentList;
  sort: TIncidentSort;
  order: 'asc' | 'desc';
  onSort(sort: TIncidentSort): void;
  linkFor(breakerId: string, at: number): string;
}

const COLUMNS: Array<{ key: TIncidentSort | null; label: string; numeric?: boolean }> = [
  { key: 'breaker', label: 'Breaker' },
  { key: 'start', label: 'Start' },
  { key: 'duration', label: 'Duration', numeric: true },
  { key: 'instances', label: 'Instances' },
  { key: 'peakFailureRate', label: 'Peak failure rate', numeric: true },
  { key: null, label: 'Operator actions' },
];

const matches = (incident: TIncident, text: string) =>
  `${incident.service}/${incident.breaker} ${incident.instances.join(' ')} ${incident.actions.map((action) => `${action.by} ${action.reason}`).join(' ')}`.toLowerCase().includes(text);

/** The summary of the range and its incidents, sortable (by the server, over all of them) and filterable by text and kind. */
export function IncidentsTable({ list, sort, order, onSort, linkFor }: IncidentsTableProps) {
  const [text, setText] = useState('');
  const [onlyManual, setOnlyManual] = useState(false);
  const shown = useMemo(() => list.incidents.filter((incident) => (!onlyManual || incident.actions.length > 0) && (!text || matches(incident, text.toLowerCase()))), [list, text, onlyManual]);
  const { summary } = list;
  return (
    <section aria-label="Incidents">
      <dl className={styles.summary}>
        <div className={styles.figure}>
          <dt>Trips</dt>
          <dd>{formatCount(summary.trips)}</dd>
        </div>
        <div className={styles.figure}>
          <dt>Total open time</dt>
          <dd>{formatDuration(summary.totalOpenMs)}</dd>
        </div>
        <div className={styles.figure}>
          <dt>Mean time to recovery</dt>
          <dd>{summary.meanTimeToRecoveryMs === null ? '–' : formatDuration(summary.meanTimeToRecoveryMs)}</dd>
        </div>
        <div className={styles.figure}>
          <dt>Most tripped</dt>
          <dd>
            <ol>
              {summary.mostTripped.map((breaker) => (
                <li key={breaker.breakerId}>
                  {breaker.service}/{breaker.breaker}: {breaker.trips}× ({formatDuration(breaker.openMs)})
                </li>
              ))}
            </ol>
          </dd>
        </div>
      </dl>
      <div className={styles.toolbar}>
        <label>
          Filter <input type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="breaker, instance, who, why" />
        </label>
        <label>
          <input type="checkbox" checked={onlyManual} onChange={(event) => setOnlyManual(event.target.checked)} /> with operator actions only
        </label>
        <span className={styles.muted}>
          {shown.length} shown of {formatCount(list.total)} incidents{list.total > list.incidents.length ? ` (the first ${list.incidents.length} by this order)` : ''}
        </span>
      </div>
      <table className={styles.table}>
        <caption>Incidents: from the first instance leaving CLOSED to the last one returning</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.label} scope="col" className={column.numeric ? styles.number : undefined} aria-sort={column.key === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
                {column.key ? (
                  <button type="button" onClick={() => onSort(column.key!)}>
                    {column.label} {column.key === sort ? (order === 'asc' ? '▲' : '▼') : ''}
                  </button>
                ) : (
                  column.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((incident) => (
            <tr key={`${incident.breakerId}-${incident.start}`}>
              <td>
                <a href={linkFor(incident.breakerId, incident.start)}>
                  {incident.service}/{incident.breaker}
                </a>
              </td>
              <td title={utcTime(incident.start)}>
                {localTime(incident.start)}
                {incident.beganBeforeRange ? <span className={styles.flag}>began before</span> : null}
              </td>
              <td className={styles.number} data-duration-ms={incident.durationMs}>
                {formatDuration(incident.durationMs)}
                {incident.openAtEnd ? <span className={styles.flag}>still open</span> : null}
              </td>
              <td>{incident.instances.join(', ')}</td>
              <td className={styles.number} title={`slow calls ${formatRate(incident.peakSlowCallRate)}; ${incident.openings} opening(s)`}>
                {formatRate(incident.peakFailureRate)}
              </td>
              <td>
                <ul className={styles.actions}>
                  {incident.actions.map((action) => (
                    <li key={`${action.at}-${action.action}`} title={utcTime(action.at)}>
                      {action.action.replace('_', ' ')} by {action.by ?? 'nobody'}: {action.reason ?? '–'}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
