import { z } from 'zod';
import { ZBreakerConfig } from '../protocol/breaker-config';
import { ZBreakerState } from '../protocol/breaker-state';
import { ZLabels } from '../protocol/identity';
import { ZBreakerSummary } from './breaker-summary';
import { ZReporterClient } from './reporter-client';
import { ZTransitionRecord } from './transition-record';

/** One instance of a breaker, as the breaker detail shows it. */
export const ZBreakerInstance = z.object({
  instanceId: z.string(),
  name: z.string(),
  labels: ZLabels,
  state: ZBreakerState,
  wouldBe: ZBreakerState.nullable(),
  stale: z.boolean(),
  lastReportAt: z.number().nullable(),
  stateSince: z.number().nullable(),
  window: z.object({ calls: z.number(), failureRate: z.number(), slowCallRate: z.number() }).nullable(),
  config: ZBreakerConfig.nullable(),
  /** Which client reports this breaker there and how it is reached: what an operator's action will travel through. */
  client: ZReporterClient,
});

/** One instance of a breaker. */
export type TBreakerInstance = z.infer<typeof ZBreakerInstance>;

/** `GET /api/v1/breakers/:id`. */
export const ZBreakerDetail = z.object({
  breaker: ZBreakerSummary,
  /** The configuration most instances report. */
  config: ZBreakerConfig.nullable(),
  instances: z.array(ZBreakerInstance),
  recentTransitions: z.array(ZTransitionRecord),
});

/** `GET /api/v1/breakers/:id` response. */
export type TBreakerDetail = z.infer<typeof ZBreakerDetail>;
