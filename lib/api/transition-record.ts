import { z } from 'zod';
import { ZBreakerState, ZTransitionCause } from '../protocol/breaker-state';

/** A stored state transition, as the read API and the live socket return it. */
export const ZTransitionRecord = z.object({
  id: z.string(),
  breakerId: z.string(),
  service: z.string(),
  breaker: z.string(),
  /** Null for the panel's own rows (an override's start or end). */
  instance: z.string().nullable(),
  from: ZBreakerState.nullable(),
  to: ZBreakerState,
  wouldBe: ZBreakerState.nullable(),
  cause: ZTransitionCause,
  failureRate: z.number().nullable(),
  slowCallRate: z.number().nullable(),
  at: z.number(),
});

/** A stored state transition. */
export type TTransitionRecord = z.infer<typeof ZTransitionRecord>;
