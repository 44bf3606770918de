import { z } from 'zod';
import { ZBreakerState } from '../protocol/breaker-state';
import { ZBreakerSummary } from './breaker-summary';

/** Query of `GET /api/v1/breakers`. */
export const ZBreakerListQuery = z.object({
  service: z.string().min(1).max(200).optional(),
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
  service: z.string().min(1).max(200).optional(),
  breaker: z.string().min(1).max(200).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/** Query of `GET /api/v1/transitions`. */
export type TTransitionQuery = z.infer<typeof ZTransitionQuery>;
