import { z } from 'zod';
import { ZHistoryFilter, ZQueryFlag } from './history-range';
import { ZActionMark } from './timeline';

/** What the incidents table sorts by. */
export const ZIncidentSort = z.enum(['start', 'duration', 'instances', 'peakFailureRate', 'breaker']);

/** What the incidents table sorts by. */
export type TIncidentSort = z.infer<typeof ZIncidentSort>;

/** Query of `GET /api/v1/history/incidents`: the shared filters, sorting, narrowing and a page size. */
export const ZIncidentQuery = z.intersection(
  ZHistoryFilter,
  z.object({
    sort: ZIncidentSort.default('start'),
    order: z.enum(['asc', 'desc']).default('desc'),
    minDurationMs: z.coerce.number().int().nonnegative().optional(),
    /** Only incidents with at least one operator action inside. */
    manual: ZQueryFlag.optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(200),
  }),
);

/** Query of `GET /api/v1/history/incidents`. */
export type TIncidentQuery = z.infer<typeof ZIncidentQuery>;

/** One trip episode of a breaker: from the first instance leaving CLOSED to the last one returning. */
export const ZIncident = z.object({
  breakerId: z.string(),
  service: z.string(),
  breaker: z.string(),
  start: z.number(),
  /** Null while still open at the end of the range. */
  end: z.number().nullable(),
  /** Within the range: up to `to` when still open, from `from` when it began before. */
  durationMs: z.number(),
  instances: z.array(z.string()),
  peakFailureRate: z.number().nullable(),
  peakSlowCallRate: z.number().nullable(),
  /** Transitions into OPEN inside the episode, over all instances (flapping shows here). */
  openings: z.number(),
  actions: z.array(ZActionMark),
  beganBeforeRange: z.boolean(),
  openAtEnd: z.boolean(),
});

/** One trip episode. */
export type TIncident = z.infer<typeof ZIncident>;

/** A breaker among the most tripped of the range. */
export const ZTrippedBreaker = z.object({
  breakerId: z.string(),
  service: z.string(),
  breaker: z.string(),
  trips: z.number(),
  openMs: z.number(),
});

/** A breaker among the most tripped. */
export type TTrippedBreaker = z.infer<typeof ZTrippedBreaker>;

/** Figures over every incident of the range (not only the page returned). */
export const ZIncidentSummary = z.object({
  trips: z.number(),
  totalOpenMs: z.number(),
  /** Mean duration of the incidents that ended inside the range; null without any. */
  meanTimeToRecoveryMs: z.number().nullable(),
  mostTripped: z.array(ZTrippedBreaker),
});

/** Figures over every incident of the range. */
export type TIncidentSummary = z.infer<typeof ZIncidentSummary>;

/** `GET /api/v1/history/incidents` response: the summary, how many incidents matched, and the first `limit` of them. */
export const ZIncidentList = z.object({
  from: z.number(),
  to: z.number(),
  summary: ZIncidentSummary,
  total: z.number(),
  incidents: z.array(ZIncident),
});

/** `GET /api/v1/history/incidents` response. */
export type TIncidentList = z.infer<typeof ZIncidentList>;
