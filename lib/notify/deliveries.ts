import { z } from 'zod';

/** A webhook delivery's state: waiting for its (next) attempt, delivered (2xx), or given up. */
export const ZNotificationDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);

/** A webhook delivery's state. */
export type TNotificationDeliveryStatus = z.infer<typeof ZNotificationDeliveryStatus>;

/** Query of `GET /api/v1/notifications/deliveries`, newest first. */
export const ZDeliveryQuery = z.object({
  endpoint: z.uuid().optional(),
  status: ZNotificationDeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Query of `GET /api/v1/notifications/deliveries`. */
export type TDeliveryQuery = z.infer<typeof ZDeliveryQuery>;

/** One row of the delivery log. */
export const ZNotificationDeliveryView = z.object({
  id: z.string(),
  endpointId: z.string(),
  endpoint: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  service: z.string().nullable(),
  breaker: z.string().nullable(),
  status: ZNotificationDeliveryStatus,
  attempts: z.number().int(),
  /** The last answer's HTTP status; null when no answer came (refused, timed out). */
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  lastAttemptAt: z.number().nullable(),
  nextAttemptAt: z.number().nullable(),
  deliveredAt: z.number().nullable(),
});

/** One row of the delivery log. */
export type TNotificationDeliveryView = z.infer<typeof ZNotificationDeliveryView>;
