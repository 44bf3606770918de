import { z } from 'zod';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';

/** Resilience4j's states (CircuitBreaker.State) as the actuator writes them. */
export const ZR4jState = z.enum(['CLOSED', 'OPEN', 'HALF_OPEN', 'DISABLED', 'FORCED_OPEN', 'METRICS_ONLY']);
export type TR4jState = z.infer<typeof ZR4jState>;

/** Resilience4j state → panel state (COMPAT.md §3.8): DISABLED and METRICS_ONLY are the closest to forced closed. */
export const PANEL_STATE: Record<TR4jState, TBreakerState> = {
  CLOSED: 'CLOSED',
  OPEN: 'OPEN',
  HALF_OPEN: 'HALF_OPEN',
  FORCED_OPEN: 'FORCED_OPEN',
  DISABLED: 'FORCED_CLOSED',
  METRICS_ONLY: 'FORCED_CLOSED',
};

/**
 * A rate as the actuator writes it: Java's Float.toString plus `%`
 * ("62.5%", "33.333336%", "1.0E-4%"); "-1.0%" means fewer calls than the
 * minimum, which is null here. Numbers are accepted too.
 */
export function parseRate(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().replace(/%$/, '') : '';
  if (text === '') return null;
  const rate = Number(text);
  if (!Number.isFinite(rate) || rate < 0) return null;
  return Math.min(100, rate);
}

const ZCount = z.union([z.number(), z.string()]).transform((value) => {
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? Math.trunc(number) : 0;
});

/** The ten fields of CircuitBreakerDetails (the R4j ≥ 2.0 list and the health details share them). */
const ZDetails = z.object({
  failureRate: z.unknown().optional(),
  slowCallRate: z.unknown().optional(),
  failureRateThreshold: z.unknown().optional(),
  slowCallRateThreshold: z.unknown().optional(),
  bufferedCalls: ZCount.optional(),
  failedCalls: ZCount.optional(),
  slowCalls: ZCount.optional(),
  slowFailedCalls: ZCount.optional(),
  notPermittedCalls: ZCount.optional(),
  state: ZR4jState,
});

export interface ActuatorBreaker {
  name: string;
  state: TR4jState;
  failureRate: number | null;
  slowCallRate: number | null;
  bufferedCalls: number;
  failedCalls: number;
  slowCalls: number;
  notPermittedCalls: number;
}

const toBreaker = (name: string, details: z.infer<typeof ZDetails>): ActuatorBreaker => ({
  name,
  state: details.state,
  failureRate: parseRate(details.failureRate),
  slowCallRate: parseRate(details.slowCallRate),
  bufferedCalls: details.bufferedCalls ?? 0,
  failedCalls: details.failedCalls ?? 0,
  slowCalls: details.slowCalls ?? 0,
  notPermittedCalls: details.notPermittedCalls ?? 0,
});

/**
 * `GET {base}/circuitbreakers`: R4j ≥ 2.0 answers a map of details by name;
 * R4j 1.x only a list of names, whose states must come from /health.
 */
export function parseCircuitBreakers(body: unknown): { kind: 'details'; breakers: ActuatorBreaker[] } | { kind: 'names'; names: string[] } | { kind: 'invalid'; message: string } {
  const top = z.object({ circuitBreakers: z.unknown() }).safeParse(body);
  if (!top.success) return { kind: 'invalid', message: 'the answer has no "circuitBreakers" field: is this a Resilience4j actuator endpoint?' };
  const names = z.array(z.string()).safeParse(top.data.circuitBreakers);
  if (names.success) return { kind: 'names', names: names.data };
  const map = z.record(z.string(), ZDetails).safeParse(top.data.circuitBreakers);
  if (!map.success) {
    const issue = map.error.issues[0];
    return { kind: 'invalid', message: `"circuitBreakers" is not in a known shape (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})` };
  }
  return { kind: 'details', breakers: Object.entries(map.data).map(([name, details]) => toBreaker(name, details)) };
}

/** The breakers in `GET {base}/health` (component `circuitBreakers`, one entry per breaker with registerHealthIndicator). */
export function parseHealthBreakers(body: unknown): ActuatorBreaker[] | null {
  const parsed = z.object({ components: z.object({ circuitBreakers: z.object({ details: z.record(z.string(), z.object({ details: ZDetails })) }) }) }).safeParse(body);
  if (!parsed.success) return null;
  return Object.entries(parsed.data.components.circuitBreakers.details).map(([name, entry]) => toBreaker(name, entry.details));
}

export interface ActuatorEvent {
  breaker: string;
  type: string;
  at: number;
  /** Raw creationTime: part of the key that tells events apart (they carry no id). */
  creationTime: string;
  durationMs: number | null;
  transition: { from: TR4jState; to: TR4jState } | null;
}

/**
 * A ZonedDateTime as Java prints it: "2025-03-04T10:15:30.120455+01:00[Europe/Paris]",
 * with 0–9 fraction digits, seconds left out when zero ("…T10:15+01:00"), and
 * "Z" or "Z[UTC]" in UTC. NaN when unreadable.
 */
export function parseJavaTime(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?(?:\[[^\]]*\])?$/.exec(text.trim());
  if (!match) return Number.NaN;
  const [, date, hoursMinutes, seconds = '00', fraction = '', zone = 'Z'] = match;
  const millis = (fraction + '000').slice(0, 3);
  return Date.parse(`${date}T${hoursMinutes}:${seconds}.${millis}${zone}`);
}

/** `STATE_TRANSITION`'s "CLOSED_TO_FORCED_OPEN": split on `_TO_`, which no state name contains. */
export function parseStateTransition(text: string): { from: TR4jState; to: TR4jState } | null {
  const parts = text.split('_TO_');
  if (parts.length !== 2) return null;
  const from = ZR4jState.safeParse(parts[0]);
  const to = ZR4jState.safeParse(parts[1]);
  return from.success && to.success ? { from: from.data, to: to.data } : null;
}

const ZEvent = z.object({
  circuitBreakerName: z.string(),
  type: z.string(),
  creationTime: z.string(),
  durationInMs: z.number().nullable().optional(),
  stateTransition: z.string().nullable().optional(),
});

/** `GET {base}/circuitbreakerevents`; events it cannot read are skipped (counted in `skipped`). */
export function parseEvents(body: unknown): { events: ActuatorEvent[]; skipped: number } | null {
  const top = z.object({ circuitBreakerEvents: z.array(z.unknown()) }).safeParse(body);
  if (!top.success) return null;
  const events: ActuatorEvent[] = [];
  let skipped = 0;
  for (const item of top.data.circuitBreakerEvents) {
    const parsed = ZEvent.safeParse(item);
    const at = parsed.success ? parseJavaTime(parsed.data.creationTime) : Number.NaN;
    if (!parsed.success || Number.isNaN(at)) {
      skipped += 1;
      continue;
    }
    const event = parsed.data;
    events.push({
      breaker: event.circuitBreakerName,
      type: event.type.toUpperCase(),
      at,
      creationTime: event.creationTime,
      durationMs: event.durationInMs ?? null,
      transition: event.type.toUpperCase() === 'STATE_TRANSITION' && event.stateTransition ? parseStateTransition(event.stateTransition) : null,
    });
  }
  return { events, skipped };
}

/** What tells two events apart (there is no id): breaker, type, time, and transition or duration. */
export const eventKey = (event: ActuatorEvent) =>
  `${event.breaker}|${event.type}|${event.creationTime}|${event.transition ? `${event.transition.from}>${event.transition.to}` : (event.durationMs ?? '')}`;

/** `POST {base}/circuitbreakers/{name}`'s answer: the state read back after the change. */
export function parseUpdateAnswer(body: unknown): TR4jState | null {
  const parsed = z.object({ currentState: ZR4jState }).safeParse(body);
  return parsed.success ? parsed.data.currentState : null;
}
