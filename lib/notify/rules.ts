import { z } from 'zod';
import { ZText } from '../protocol/storable';

/**
 * What a rule watches, per breaker:
 * - `open_too_long`: tripped (OPEN or HALF_OPEN service-wide) for at least `openForSeconds`;
 * - `instances_open`: more than `percent` of its live instances OPEN or HALF_OPEN;
 * - `flapping`: more than `trips` trips within `windowSeconds`; one notification
 *   instead of a storm, and the breaker's own tripped/recovered events are held
 *   back until a whole window passes without a trip.
 */
export const ZRuleCondition = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('open_too_long'),
    openForSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400),
  }),
  z.object({ kind: z.literal('instances_open'), percent: z.number().min(0).max(99.99) }),
  z.object({ kind: z.literal('flapping'), trips: z.number().int().min(1).max(10_000), windowSeconds: z.number().int().min(1).max(86_400) }),
]);

/** What a rule watches. */
export type TRuleCondition = z.infer<typeof ZRuleCondition>;

/** `POST /api/v1/notifications/rules` body. `services` empty means every service. */
export const ZCreateRule = z.object({
  name: ZText.trim().min(1).max(200),
  condition: ZRuleCondition,
  services: z.array(ZText.trim().min(1).max(200)).max(200).default([]),
  enabled: z.boolean().default(true),
});

/** `POST /api/v1/notifications/rules` body. */
export type TCreateRule = z.infer<typeof ZCreateRule>;

/** `PATCH /api/v1/notifications/rules/:id` body. */
export const ZUpdateRule = z
  .object({ name: ZText.trim().min(1).max(200), condition: ZRuleCondition, services: z.array(ZText.trim().min(1).max(200)).max(200), enabled: z.boolean() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'Change at least one field' });

/** `PATCH /api/v1/notifications/rules/:id` body. */
export type TUpdateRule = z.infer<typeof ZUpdateRule>;

/** A rule as the API lists it. */
export const ZRuleView = z.object({
  id: z.string(),
  name: z.string(),
  condition: ZRuleCondition,
  services: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

/** A rule as the API lists it. */
export type TRuleView = z.infer<typeof ZRuleView>;
