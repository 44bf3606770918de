import type { TReport } from '../../lib/protocol/breaker-report.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import { STATE_CODES, toCompactReport, type TCompactReportData } from '../../lib/protocol/compact-report.js';

/** A validated `report:send` in either protocol version as the aggregate reads it: the compact arrays, with the names their indexes stand for. */
export interface NamedReport extends Pick<TReport, 'service' | 'instanceId' | 'runId'> {
  /** Read only: every compact report of a registration hands the same array, which the aggregate recognises by identity. */
  names: readonly string[];
  numbers: TCompactReportData;
}

export const stateOfCode = (code: number): TBreakerState => STATE_CODES[code]!;

/** What a connection's registration says of the compact reports that follow it. */
export type RegistrationContext = Omit<NamedReport, 'numbers'>;

/** A full report (HTTP batches, version 1 connections) that passed validation, in the compact form. */
export function nameFullReport(report: TReport): NamedReport {
  const numbers = { heldOverrides: [], ...toCompactReport(report.sequence, report.sentAt, report.droppedTransitions, report.breakers) };
  return { service: report.service, instanceId: report.instanceId, runId: report.runId, names: report.breakers.map((breaker) => breaker.name), numbers };
}

/** The breakers holding an override the panel issued, by name (usually none). */
export function heldOverrides(report: NamedReport): Array<{ breaker: string; commandId: string }> {
  return report.numbers.heldOverrides.map((held) => ({ breaker: report.names[held.breaker]!, commandId: held.commandId }));
}
