import { z } from 'zod';
import { ZText } from '../protocol/storable';

/** What a snooze silences: one rule (for every breaker) or one breaker (every event and rule). */
export const ZSnoozeTarget = z.discriminatedUnion('kind', [z.object({ kind: z.literal('rule'), ruleId: z.uuid() }), z.object({ kind: z.literal('breaker'), breakerId: z.uuid() })]);

/** What a snooze silences. */
export type TSnoozeTarget = z.infer<typeof ZSnoozeTarget>;

/** `POST /api/v1/notifications/snoozes` body: silence for `durationSeconds` (up to a week). */
export const ZCreateSnooze = z.object({
  target: ZSnoozeTarget,
  durationSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400),
  reason: ZText.trim().max(1000).optional(),
});

/** `POST /api/v1/notifications/snoozes` body. */
export type TCreateSnooze = z.infer<typeof ZCreateSnooze>;

/** A snooze in force, shown to everyone with who set it and until when. */
export const ZSnoozeView = z.object({
  id: z.string(),
  target: ZSnoozeTarget,
  /** What the target is called: the rule's name or `service / breaker`. */
  label: z.string(),
  until: z.number(),
  reason: z.string().nullable(),
  by: z.string().nullable(),
  createdAt: z.number(),
});

/** A snooze in force. */
export type TSnoozeView = z.infer<typeof ZSnoozeView>;
