import { z } from 'zod';
import { ZBreakerState, type TBreakerState } from '../protocol/breaker-state';

/**
 * A state as the history lanes draw it: one of the five breaker states, or
 * STALE for an instance that stopped reporting (never drawn as healthy).
 */
export const ZLaneState = z.union([ZBreakerState, z.literal('STALE')]);

/** A lane state. */
export type TLaneState = z.infer<typeof ZLaneState>;

/** One stretch of a lane in one state, [from, to) in epoch ms. */
export const ZLaneSegment = z.object({
  state: ZLaneState,
  from: z.number(),
  to: z.number(),
});

/** One stretch of a lane in one state. */
export type TLaneSegment = z.infer<typeof ZLaneSegment>;

/** States in which the breaker rejects calls: leaving CLOSED for one of these is a trip (FORCED_CLOSED lets calls pass). */
export const TRIPPED_STATES: ReadonlySet<TBreakerState> = new Set(['OPEN', 'HALF_OPEN', 'FORCED_OPEN']);

/** True when a breaker in `state` rejects calls, i.e. the instance is inside a trip. */
export function isTripped(state: TBreakerState | null | undefined): boolean {
  return state !== null && state !== undefined && TRIPPED_STATES.has(state);
}

/** How bad a state is, to pick the service-wide state among instances (the same order as the breaker detail's band). */
export const SEVERITY: Readonly<Record<TBreakerState, number>> = { FORCED_OPEN: 5, OPEN: 4, HALF_OPEN: 3, FORCED_CLOSED: 2, CLOSED: 1 };
