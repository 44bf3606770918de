import { z } from 'zod';
import { ZOperatorActionKind } from '../control/operator-action';
import { ZTransitionCause } from '../protocol/breaker-state';
import { ZHistoryFilter, ZQueryFlag } from './history-range';
import { ZLaneSegment } from './lane-state';

/** Query of `GET /api/v1/history/timeline`: the shared filters, and whether to add one lane per instance. */
export const ZTimelineQuery = z.intersection(ZHistoryFilter, z.object({ instances: ZQueryFlag.default(false).meta({ description: 'Add one lane per instance' }) }));

/** Query of `GET /api/v1/history/timeline`. */
export type TTimelineQuery = z.infer<typeof ZTimelineQuery>;

/** A transition into OPEN on one instance, with the rates that caused it (hover on a trip). */
export const ZTripMark = z.object({
  at: z.number(),
  instance: z.string(),
  cause: ZTransitionCause,
  failureRate: z.number().nullable(),
  slowCallRate: z.number().nullable(),
});

/** A trip on one instance. */
export type TTripMark = z.infer<typeof ZTripMark>;

/** An operator action on a breaker (who, what, why), or an override that ran out (`expired`, nobody). */
export const ZActionMark = z.object({
  at: z.number(),
  breakerId: z.string(),
  action: z.union([ZOperatorActionKind, z.literal('expired')]),
  by: z.string().nullable(),
  reason: z.string().nullable(),
  commandId: z.string().nullable(),
});

/** An operator action marker. */
export type TActionMark = z.infer<typeof ZActionMark>;

/** Instances of a service that began reporting a new `version` label (one marker per version rolled out). */
export const ZDeployMark = z.object({
  at: z.number(),
  service: z.string(),
  version: z.string(),
  previous: z.string().nullable(),
  instances: z.array(z.string()),
});

/** A deploy marker. */
export type TDeployMark = z.infer<typeof ZDeployMark>;

/** One instance's lane. */
export const ZInstanceLane = z.object({
  instanceId: z.string(),
  name: z.string(),
  segments: z.array(ZLaneSegment),
});

/** One instance's lane. */
export type TInstanceLane = z.infer<typeof ZInstanceLane>;

/** One breaker's lane: its service-wide state, trips and operator actions; instance lanes when asked for. */
export const ZBreakerLane = z.object({
  breakerId: z.string(),
  service: z.string(),
  breaker: z.string(),
  segments: z.array(ZLaneSegment),
  trips: z.array(ZTripMark),
  actions: z.array(ZActionMark),
  instances: z.array(ZInstanceLane).optional(),
});

/** One breaker's lane. */
export type TBreakerLane = z.infer<typeof ZBreakerLane>;

/** `GET /api/v1/history/timeline` response. */
export const ZTimeline = z.object({
  from: z.number(),
  to: z.number(),
  serverTime: z.number(),
  lanes: z.array(ZBreakerLane),
  deploys: z.array(ZDeployMark),
});

/** `GET /api/v1/history/timeline` response. */
export type TTimeline = z.infer<typeof ZTimeline>;
