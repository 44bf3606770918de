import { z } from 'zod';
import { ZOverrideView } from '../control/operator-action';
import { ZBreakerState } from '../protocol/breaker-state';
import { ZReporterClientKind } from './reporter-client';

/** How many instances of a breaker are in each state (live instances only) and how many are stale. */
export const ZInstanceCounts = z.object({
  total: z.number().int().nonnegative(),
  stale: z.number().int().nonnegative(),
  byState: z.record(ZBreakerState, z.number().int().nonnegative()),
});

/** Instance counts of a breaker. */
export type TInstanceCounts = z.infer<typeof ZInstanceCounts>;

/** Recent rates of a breaker across its live instances (over the last 10–20 s). */
export const ZRecentRates = z.object({
  callsPerSecond: z.number().nonnegative(),
  /** Failures and timeouts, percent of executed calls; null without calls. */
  failureRate: z.number().nullable(),
  slowCallRate: z.number().nullable(),
  rejectedPerSecond: z.number().nonnegative(),
  p50Ms: z.number().nullable(),
  p90Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});

/** Recent rates of a breaker. */
export type TRecentRates = z.infer<typeof ZRecentRates>;

/**
 * One breaker of one service as the overview shows it. `state` is the
 * service-wide state over live instances (the worst one: FORCED_OPEN, OPEN,
 * HALF_OPEN, FORCED_CLOSED, CLOSED), or null when no instance is live.
 */
export const ZBreakerSummary = z.object({
  id: z.string(),
  service: z.string(),
  name: z.string(),
  state: ZBreakerState.nullable(),
  /** The worst state the live instances would be in without overrides. */
  wouldBe: ZBreakerState.nullable(),
  instances: ZInstanceCounts,
  rates: ZRecentRates,
  /** When any instance last reported this breaker (epoch ms); null if never. */
  lastReportAt: z.number().nullable(),
  /** Since when the service-wide state has held (epoch ms). */
  stateSince: z.number().nullable(),
  /** The service belongs to the demo fleet (`npm start` without DATABASE_URL). */
  demo: z.boolean(),
  /** The operator override in force, shown wherever the breaker appears. */
  override: ZOverrideView.nullable(),
  /** The clients its instances report with, and how many reach the panel over HTTP (they fetch commands rather than being pushed them). */
  clients: z.object({ kinds: z.array(ZReporterClientKind), httpInstances: z.number().int().nonnegative() }),
});

/** One breaker as the overview shows it. */
export type TBreakerSummary = z.infer<typeof ZBreakerSummary>;
