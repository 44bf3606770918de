import { z } from 'zod';
import { ZBreakerState } from '../protocol/breaker-state';
import { ZLabels } from '../protocol/identity';
import { ZText } from '../protocol/storable';

/** The four operator actions (PRODUCT.md): trip and force closed set an override; reset and release are one-shot. */
export const ZOperatorActionKind = z.enum(['trip', 'force_closed', 'reset', 'release']);

/** An operator action. */
export type TOperatorActionKind = z.infer<typeof ZOperatorActionKind>;

/** Which instances an action is for: all of the breaker's, named ones, or those whose labels include these. */
export const ZActionScope = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ instances: z.array(ZText.min(1).max(200)).min(1).max(1000) }).strict(),
  z.object({ labels: ZLabels.refine((labels) => Object.keys(labels).length > 0, { message: 'name at least one label' }) }).strict(),
]);

/** Which instances an action is for. */
export type TActionScope = z.infer<typeof ZActionScope>;

/** Longest an override may be set for: a week; beyond that, make it a code change. */
export const MAX_OVERRIDE_SECONDS = 7 * 24 * 3600;

/** `POST /api/v1/breakers/:id/actions` body. */
export const ZActionRequest = z.object({
  action: ZOperatorActionKind,
  scope: ZActionScope,
  reason: ZText.trim().min(3, 'say why, in a few words').max(1000),
  /** Seconds until a trip or force closed ends on its own (default one hour). Ignored for reset and release. */
  expiresIn: z.number().int().min(10).max(MAX_OVERRIDE_SECONDS).optional(),
});

/** `POST /api/v1/breakers/:id/actions` body. */
export type TActionRequest = z.infer<typeof ZActionRequest>;

/**
 * Delivery of a command to one instance: `pending` queued for an HTTP reporter
 * that has not fetched it yet, `sent` handed to the instance and waiting for its
 * acknowledgement, `applied` or `failed` as acknowledged, `offline` when the
 * instance was not reporting.
 */
export const ZDeliveryStatus = z.enum(['pending', 'sent', 'applied', 'failed', 'offline']);

/** Delivery of a command to one instance. */
export type TDeliveryStatus = z.infer<typeof ZDeliveryStatus>;

/** Delivery of a command to one instance. */
export const ZDelivery = z.object({
  commandId: z.string(),
  instanceId: z.string(),
  instance: z.string(),
  status: ZDeliveryStatus,
  state: ZBreakerState.nullable(),
  error: z.string().nullable(),
  at: z.number().nullable(),
});

/** Delivery of a command to one instance. */
export type TDelivery = z.infer<typeof ZDelivery>;

/** An override in force, as every screen shows it. */
export const ZOverrideView = z.object({
  id: z.string(),
  breakerId: z.string(),
  state: z.enum(['FORCED_OPEN', 'FORCED_CLOSED']),
  scope: ZActionScope,
  reason: z.string(),
  by: z.string().nullable(),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  commandId: z.string(),
});

/** An override in force. */
export type TOverrideView = z.infer<typeof ZOverrideView>;

/** `GET /api/v1/breakers/:id/control`: the override in force and the last command with its deliveries. */
export const ZBreakerControl = z.object({
  override: ZOverrideView.nullable(),
  lastCommand: z.object({ id: z.string(), action: ZOperatorActionKind, reason: z.string(), by: z.string().nullable(), at: z.number(), deliveries: z.array(ZDelivery) }).nullable(),
});

/** `GET /api/v1/breakers/:id/control` response. */
export type TBreakerControl = z.infer<typeof ZBreakerControl>;

/** `POST /api/v1/breakers/:id/actions` response. */
export const ZActionResult = z.object({
  commandId: z.string(),
  override: ZOverrideView.nullable(),
  deliveries: z.array(ZDelivery),
  /** True when the idempotency key was seen before and nothing was done again. */
  repeated: z.boolean(),
});

/** `POST /api/v1/breakers/:id/actions` response. */
export type TActionResult = z.infer<typeof ZActionResult>;
