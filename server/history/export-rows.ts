import { toCsv } from '../../lib/history/csv.js';
import type { TTransitionExportRow } from '../../lib/history/export-query.js';
import type { TIncident } from '../../lib/history/incidents.js';
import type { ScopedBreaker } from './breakers-in-scope';
import type { RangeTransition } from './range-transitions';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Transitions as export rows: names instead of ids where a reader needs them, times as epoch ms and ISO 8601 UTC. */
export function transitionRows(transitions: RangeTransition[], breakers: Map<string, ScopedBreaker>): TTransitionExportRow[] {
  return transitions.map((transition): TTransitionExportRow => {
    const breaker = breakers.get(transition.breakerId);
    return {
      id: transition.id,
      at: transition.at,
      atUtc: iso(transition.at),
      service: breaker?.service ?? null,
      breaker: breaker?.name ?? null,
      breakerId: transition.breakerId,
      instance: transition.instance,
      from: transition.from,
      to: transition.to,
      cause: transition.cause,
      failureRate: transition.failureRate,
      slowCallRate: transition.slowCallRate,
    };
  });
}

const TRANSITION_COLUMNS = ['id', 'at', 'atUtc', 'service', 'breaker', 'breakerId', 'instance', 'from', 'to', 'cause', 'failureRate', 'slowCallRate'] as const;

/** The transitions export as CSV, one row per transition. */
export function transitionsCsv(rows: TTransitionExportRow[]): string {
  return toCsv(
    TRANSITION_COLUMNS,
    rows.map((row) => TRANSITION_COLUMNS.map((column) => row[column])),
  );
}

const INCIDENT_COLUMNS = [
  'service',
  'breaker',
  'breakerId',
  'start',
  'startUtc',
  'end',
  'endUtc',
  'durationMs',
  'instances',
  'peakFailureRate',
  'peakSlowCallRate',
  'openings',
  'actions',
  'beganBeforeRange',
  'openAtEnd',
];

/** The incidents export as CSV; instances and actions are joined into one cell each (`;`-separated). */
export function incidentsCsv(incidents: TIncident[]): string {
  return toCsv(
    INCIDENT_COLUMNS,
    incidents.map((incident) => [
      incident.service,
      incident.breaker,
      incident.breakerId,
      incident.start,
      iso(incident.start),
      incident.end,
      iso(incident.end),
      incident.durationMs,
      incident.instances.join(';'),
      incident.peakFailureRate,
      incident.peakSlowCallRate,
      incident.openings,
      incident.actions.map((action) => `${iso(action.at)} ${action.action} by ${action.by ?? 'nobody'}: ${action.reason ?? ''}`).join('; '),
      incident.beganBeforeRange,
      incident.openAtEnd,
    ]),
  );
}
