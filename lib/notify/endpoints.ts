import { z } from 'zod';
import { ZNotificationEventType } from './notification-event';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE, ZText } from '../protocol/storable';

/** How a webhook's body is shaped: the generic event JSON, or Slack's `{ text, blocks }`. */
export const ZEndpointFormat = z.enum(['json', 'slack']);

/** A webhook body format. */
export type TEndpointFormat = z.infer<typeof ZEndpointFormat>;

// The URL is stored as given: it must be storable text like every other string.
const ZWebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);
/** Service names; an empty list means every service. */
const ZServiceList = z.array(ZText.trim().min(1).max(200)).max(200);
const ZEventList = z.array(ZNotificationEventType).min(1);
/** The HMAC key; generated when not given. Long enough that guessing it is hopeless. */
const ZSecret = ZText.min(16).max(200);

/** `POST /api/v1/notifications/endpoints` body. */
export const ZCreateEndpoint = z.object({
  name: ZText.trim().min(1).max(200),
  url: ZWebhookUrl,
  format: ZEndpointFormat.default('json'),
  services: ZServiceList.default([]),
  events: ZEventList,
  secret: ZSecret.optional(),
  enabled: z.boolean().default(true),
});

/** `POST /api/v1/notifications/endpoints` body. */
export type TCreateEndpoint = z.infer<typeof ZCreateEndpoint>;

/** `PATCH /api/v1/notifications/endpoints/:id` body: any field; `secret` replaces the key. */
export const ZUpdateEndpoint = z
  .object({ name: ZText.trim().min(1).max(200), url: ZWebhookUrl, format: ZEndpointFormat, services: ZServiceList, events: ZEventList, secret: ZSecret, enabled: z.boolean() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'Change at least one field' });

/** `PATCH /api/v1/notifications/endpoints/:id` body. */
export type TUpdateEndpoint = z.infer<typeof ZUpdateEndpoint>;

/** An endpoint as the API lists it: never its secret. */
export const ZEndpointView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  format: ZEndpointFormat,
  services: z.array(z.string()),
  events: z.array(ZNotificationEventType),
  enabled: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

/** An endpoint as the API lists it. */
export type TEndpointView = z.infer<typeof ZEndpointView>;

/** `POST /api/v1/notifications/endpoints` answer: the only time the secret is shown. */
export const ZCreatedEndpoint = z.object({ endpoint: ZEndpointView, secret: z.string() });

/** `POST /api/v1/notifications/endpoints` answer. */
export type TCreatedEndpoint = z.infer<typeof ZCreatedEndpoint>;
