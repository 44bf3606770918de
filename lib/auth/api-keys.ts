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

/** One row of `GET /api/v1/api-keys`; the key itself is never listed, only its first characters. */
export interface TApiKeyListItem {
  id: string;
  prefix: string;
  serviceName: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** `POST /api/v1/api-keys` answer: the only time the key is shown. */
export interface TCreatedApiKey {
  id: string;
  key: string;
  prefix: string;
  serviceName: string;
}
