import { z } from 'zod';
import { ZQueryEpochMs, ZText } from '../protocol/storable';

/** Query of `GET /api/v1/audit`: newest first. `user` is an e-mail; times are epoch ms. */
export const ZAuditQuery = z.object({
  breaker: z.uuid().optional(),
  service: ZText.min(1).max(200).optional(),
  user: ZText.min(1).max(320).optional(),
  from: ZQueryEpochMs.optional(),
  to: ZQueryEpochMs.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** Query of `GET /api/v1/audit`. */
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

/** How a command's deliveries ended, counted by status. */
export const ZDeliveryOutcome = z.object({ pending: z.number(), sent: z.number(), applied: z.number(), failed: z.number(), offline: z.number() });

/** One audit entry: who did what, to what, why, when, from where, and how the command was delivered. */
export const ZAuditEntry = z.object({
  id: z.string(),
  at: z.number(),
  actor: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  /** The target by name (a user's e-mail, a key's service, a breaker's service/name), resolved when read; null when unknown. */
  targetName: z.string().nullable(),
  service: z.string().nullable(),
  breaker: z.string().nullable(),
  breakerId: z.string().nullable(),
  reason: z.string().nullable(),
  scope: z.unknown().nullable(),
  ipAddress: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  delivery: ZDeliveryOutcome.nullable(),
});

/** One audit entry. */
export type TAuditEntry = z.infer<typeof ZAuditEntry>;
