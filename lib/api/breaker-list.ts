import { z } from 'zod';
import { ZBreakerState } from '../protocol/breaker-state';
import { ZBreakerSummary } from './breaker-summary';
import { ZQueryEpochMs, ZText } from '../protocol/storable';

/** Query of `GET /api/v1/breakers`. */
export const ZBreakerListQuery = z.object({
  service: ZText.min(1).max(200).optional(),
  state: ZBreakerState.optional(),
  sort: z.enum(['health', 'name']).default('health'),
});

/** Query of `GET /api/v1/breakers`. */
export type TBreakerListQuery = z.infer<typeof ZBreakerListQuery>;

/** `GET /api/v1/breakers` response. */
export const ZBreakerList = z.object({
  serverTime: z.number(),
  breakers: z.array(ZBreakerSummary),
});

/** `GET /api/v1/breakers` response. */
export type TBreakerList = z.infer<typeof ZBreakerList>;

/** Query of `GET /api/v1/transitions`: epoch ms bounds, newest first. */
export const ZTransitionQuery = z.object({
  service: ZText.min(1).max(200).optional(),
  breaker: ZText.min(1).max(200).optional(),
  from: ZQueryEpochMs.optional(),
  to: ZQueryEpochMs.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/** Query of `GET /api/v1/transitions`. */
export type TTransitionQuery = z.infer<typeof ZTransitionQuery>;
