import { z } from 'zod';
import { ZText } from '../protocol/storable';

/** A service name as reporters send it. */
export const ZServiceName = ZText.trim().min(1).max(200);

/** `POST /api/v1/api-keys` body: a reporter key for one service. */
export const ZCreateApiKey = z.object({
  service: ZServiceName,
  description: ZText.trim().max(500).optional(),
});

/** `POST /api/v1/api-keys` body. */
export type TCreateApiKey = z.infer<typeof ZCreateApiKey>;

/** One row of `GET /api/v1/api-keys`; the key itself is never listed, only its first characters. Times are ISO strings. */
export const ZApiKeyListItem = z.object({
  id: z.string(),
  prefix: z.string(),
  serviceName: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** One row of `GET /api/v1/api-keys`. */
export type TApiKeyListItem = z.infer<typeof ZApiKeyListItem>;

/** `POST /api/v1/api-keys` answer: the only time the key is shown. */
export const ZCreatedApiKey = z.object({
  id: z.string(),
  key: z.string(),
  prefix: z.string(),
  serviceName: z.string(),
});

/** `POST /api/v1/api-keys` answer. */
export type TCreatedApiKey = z.infer<typeof ZCreatedApiKey>;
