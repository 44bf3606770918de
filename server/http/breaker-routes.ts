import { compareByHealth, compareByName } from '../../lib/api/breaker-order.js';
import { ZBreakerListQuery, ZTransitionQuery, type TBreakerList } from '../../lib/api/breaker-list.js';
import type { TBreakerDetail } from '../../lib/api/breaker-detail.js';
import { TREND_SPAN_MS, TREND_STEP_MS, ZCallTrendsQuery, type TCallTrends } from '../../lib/api/call-trends.js';
import { ZMetricsQuery, type TMetricsSeries } from '../../lib/api/metrics-series.js';
import type { Aggregate } from '../aggregate/aggregate';
import { OUTCOME } from '../aggregate/outcome-kinds';
import type { Queryable } from '../store/queryable';
import { queryCallCounts, queryMetricBuckets, queryTransitions, type MetricsBucket } from '../store/read-queries';
import { metricsPoints } from './metrics-points';
import type { RetentionConfig } from '../jobs/rollup-and-retention';
import { HttpError, validationError } from './http-error';
import type { Router } from './router';
import { sendJson } from './send-json';
import type { z } from 'zod';

const RESOLUTIONS = [10, 60, 3600] as const;
const TARGET_POINTS = 300;

function parseQuery<Schema extends z.ZodType>(schema: Schema, url: URL): z.infer<Schema> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationError(parsed.error, 'query');
  return parsed.data;
}

/**
 * Sums a range into steps, reading each stretch from the coarsest resolution
 * that holds it: a coarse bucket exists only once its period has ended, so the
 * stretch after the last one is read from the next finer resolution.
 */
async function bucketsFrom(db: Queryable, breakerId: string, resolutionIndex: number, step: number, from: number, to: number, now: number): Promise<MetricsBucket[]> {
  const resolution = RESOLUTIONS[resolutionIndex]!;
  const complete = resolutionIndex === 0 ? to : Math.min(to, now - (now % (resolution * 1000)));
  const buckets = complete > from ? await queryMetricBuckets(db, breakerId, resolution, step, new Date(from), new Date(complete)) : [];
  if (complete >= to || resolutionIndex === 0) return buckets;
  return [...buckets, ...(await bucketsFrom(db, breakerId, resolutionIndex - 1, step, Math.max(from, complete), to, now))];
}

/** Calls in a bucket's counts: executed (success, failure, timeout) and rejected, as queryCallCounts counts them. */
const callsIn = (counts: ArrayLike<number>) => counts[OUTCOME.success]! + counts[OUTCOME.failure]! + counts[OUTCOME.timeout]! + counts[OUTCOME.rejected]!;

/** The read API for the screens: live state from the aggregate, history from Postgres. */
export function addBreakerRoutes(router: Router, { aggregate, db, retention, now }: { aggregate: Aggregate; db: Queryable; retention: RetentionConfig; now: () => number }): void {
  router.add('GET', '/api/v1/breakers', async ({ res, url }) => {
    const query = parseQuery(ZBreakerListQuery, url);
    const breakers = aggregate
      .breakerIds({ service: query.service })
      .map((id) => aggregate.summary(id)!)
      .filter((summary) => !query.state || summary.state === query.state)
      .sort(query.sort === 'name' ? compareByName : compareByHealth);
    const body: TBreakerList = { serverTime: now(), breakers };
    sendJson(res, 200, body);
  });

  router.add('GET', '/api/v1/breakers/:id', async ({ res, params }) => {
    const breaker = aggregate.summary(params.id!);
    if (!breaker) throw new HttpError(404, 'not_found', `No breaker with id ${params.id}`);
    const body: TBreakerDetail = {
      breaker,
      config: aggregate.config(breaker.id),
      instances: aggregate.instancesOf(breaker.id),
      recentTransitions: await queryTransitions(db, { breakerId: breaker.id, limit: 50 }),
    };
    sendJson(res, 200, body);
  });

  router.add('GET', '/api/v1/breakers/:id/metrics', async ({ res, url, params }) => {
    if (!aggregate.summary(params.id!)) throw new HttpError(404, 'not_found', `No breaker with id ${params.id}`);
    const query = parseQuery(ZMetricsQuery, url);
    const at = now();
    const requestedStep = query.step ?? Math.max(10, Math.ceil((query.to - query.from) / 1000 / TARGET_POINTS));
    const kept = [retention.tenSecondMs, retention.oneMinuteMs, retention.oneHourMs];
    // The coarsest resolution no coarser than the step whose retention still covers the start.
    let index = RESOLUTIONS.findLastIndex((resolution) => resolution <= requestedStep);
    if (index < 0) index = 0;
    while (index < RESOLUTIONS.length - 1 && query.from < at - kept[index]!) index += 1;
    const resolution = RESOLUTIONS[index]!;
    const step = Math.max(resolution, Math.round(requestedStep / resolution) * resolution);
    // Whole steps only: an unaligned `from` would drop the bucket it falls in, so it starts at the step that holds it.
    const from = query.from - (query.from % (step * 1000));
    const stored = await bucketsFrom(db, params.id!, index, step, from, query.to, at);
    // Read after the database answered: a bucket written meanwhile has left the aggregate by then, so it may be missing from this answer but is never counted twice.
    const points = metricsPoints(stored, aggregate.owedBuckets(params.id!), { stepSecs: step, from, to: query.to });
    const body: TMetricsSeries = { breakerId: params.id!, resolutionSeconds: resolution, step, from, points };
    sendJson(res, 200, body);
  });

  router.add('GET', '/api/v1/breaker-trends', async ({ res, url }) => {
    const { ids } = parseQuery(ZCallTrendsQuery, url);
    // Up to the bucket before the current one: the current is still filling and the flusher may not have written the last one yet.
    const at = now();
    const to = at - (at % TREND_STEP_MS) - TREND_STEP_MS;
    const from = to - TREND_SPAN_MS;
    const trends: TCallTrends['trends'] = Object.fromEntries(ids.map((id) => [id, new Array<number>(TREND_SPAN_MS / TREND_STEP_MS).fill(0)]));
    const stored = await queryCallCounts(db, ids, new Date(from), new Date(to));
    // The last closed bucket may still be on its way to the database: the aggregate has it until then.
    const owed = ids.flatMap((breakerId) =>
      aggregate
        .owedBuckets(breakerId)
        .filter((bucket) => bucket.bucketStart >= from && bucket.bucketStart < to)
        .map((bucket) => ({ breakerId, start: bucket.bucketStart, calls: callsIn(bucket.counts) })),
    );
    for (const { breakerId, start, calls } of [...stored, ...owed]) {
      const slot = Math.floor((start - from) / TREND_STEP_MS);
      trends[breakerId]![slot] = Math.round((trends[breakerId]![slot]! + calls / (TREND_STEP_MS / 1000)) * 1000) / 1000;
    }
    const body: TCallTrends = { from, stepMs: TREND_STEP_MS, trends };
    sendJson(res, 200, body);
  });

  router.add('GET', '/api/v1/transitions', async ({ res, url }) => {
    const query = parseQuery(ZTransitionQuery, url);
    sendJson(res, 200, { transitions: await queryTransitions(db, query) });
  });
}
