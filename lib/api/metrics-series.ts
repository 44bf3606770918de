import { z } from 'zod';
import { ZQueryEpochMs } from '../protocol/storable';

/** Query of `GET /api/v1/breakers/:id/metrics`: epoch ms bounds and an optional step in seconds. */
export const ZMetricsQuery = z
  .object({
    from: ZQueryEpochMs,
    to: ZQueryEpochMs,
    step: z.coerce.number().int().positive().optional().meta({ description: 'Seconds per point; by default the range divided into about 300 points' }),
  })
  .refine((query) => query.to > query.from, { message: 'to must be after from', path: ['to'] });

/** Metrics query. */
export type TMetricsQuery = z.infer<typeof ZMetricsQuery>;

/** One point of a breaker's series: counts in [start, start + step), latency percentiles from the merged histogram. */
export const ZMetricsPoint = z.object({
  start: z.number(),
  success: z.number(),
  failure: z.number(),
  timeout: z.number(),
  rejected: z.number(),
  slow: z.number(),
  fallback: z.number(),
  p50Ms: z.number().nullable(),
  p90Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});

/** One point of a breaker's series. */
export type TMetricsPoint = z.infer<typeof ZMetricsPoint>;

/** `GET /api/v1/breakers/:id/metrics` response: the resolution it was served from and the points. */
export const ZMetricsSeries = z.object({
  breakerId: z.string(),
  resolutionSeconds: z.number(),
  step: z.number(),
  /** The query's `from` aligned down to the start of its step: the series holds whole steps (and so whole buckets). */
  from: z.number(),
  points: z.array(ZMetricsPoint),
});

/** Metrics series response. */
export type TMetricsSeries = z.infer<typeof ZMetricsSeries>;
