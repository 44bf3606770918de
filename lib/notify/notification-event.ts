import { z } from 'zod';
import { ZInstanceCounts } from '../api/breaker-summary';
import { ZBreakerState, ZTransitionCause } from '../protocol/breaker-state';

export { ZNotificationEventType, type TNotificationEventType } from './event-types';

/** The rule that fired, by id and name as it was at the time. */
export const ZRuleRef = z.object({ id: z.string(), name: z.string() });

const base = {
  /** Unique per event: a receiver can drop a redelivered duplicate by it. */
  id: z.string(),
  /** When it happened (epoch ms). */
  at: z.number(),
  service: z.string(),
  breaker: z.object({ id: z.string(), name: z.string() }),
  /** The breaker's service-wide state when the event was derived; null when no instance is live. */
  state: ZBreakerState.nullable(),
  instances: ZInstanceCounts,
  /** One line for humans, also the Slack body's `text`. */
  text: z.string(),
};

/** The generic JSON body of a webhook: one event, discriminated by `type`. */
export const ZNotificationEvent = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('breaker.tripped'), cause: ZTransitionCause.nullable(), failureRate: z.number().nullable(), slowCallRate: z.number().nullable() }),
  z.object({ ...base, type: z.literal('breaker.recovered'), openForMs: z.number().nullable() }),
  z.object({
    ...base,
    type: z.literal('breaker.overridden'),
    override: z.object({ state: z.enum(['FORCED_OPEN', 'FORCED_CLOSED']), reason: z.string().nullable(), by: z.string().nullable(), expiresAt: z.number().nullable() }),
  }),
  z.object({ ...base, type: z.literal('breaker.override_ended'), how: z.enum(['released', 'expired']), previous: z.enum(['FORCED_OPEN', 'FORCED_CLOSED']).nullable() }),
  z.object({ ...base, type: z.literal('rule.open_too_long'), rule: ZRuleRef, openForMs: z.number(), thresholdSeconds: z.number() }),
  z.object({ ...base, type: z.literal('rule.instances_open'), rule: ZRuleRef, openPercent: z.number(), thresholdPercent: z.number(), open: z.number().int(), live: z.number().int() }),
  z.object({
    ...base,
    type: z.literal('rule.flapping'),
    rule: ZRuleRef,
    /** `started` once more than `trips` trips fell in the window; `ended` once a whole window passed without one. */
    status: z.enum(['started', 'ended']),
    /** `started`: the trips in the window; `ended`: every trip of the episode, those of the first window included. */
    trips: z.number().int(),
    windowSeconds: z.number(),
    since: z.number(),
  }),
]);

/** One notification event (the generic JSON body). */
export type TNotificationEvent = z.infer<typeof ZNotificationEvent>;

/** A Slack-compatible body (incoming webhooks, and the many tools that accept the same shape). */
export const ZSlackBody = z.object({
  text: z.string(),
  blocks: z.array(z.looseObject({ type: z.string() })).optional(),
});

/** A Slack-compatible body. */
export type TSlackBody = z.infer<typeof ZSlackBody>;
