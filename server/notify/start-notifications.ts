import type { Aggregate } from '../aggregate/aggregate';
import type { Router } from '../http/router';
import type { Logger } from '../logger';
import type { Prisma } from '../store/prisma';
import { createDeliveryQueue } from './delivery-queue';
import { addEndpointRoutes } from './endpoint-routes';
import { createNotifier } from './notifier';
import type { NotifyConfig } from './notify-config';
import { createNotificationSettings } from './notification-settings';
import { addRuleRoutes } from './rule-routes';
import { addSnoozeRoutes } from './snooze-routes';

// How far back a trip's stored transition is looked for: the partial that showed the trip is a second old at most.
const TRIP_CAUSE_LOOKBACK_MS = 60_000;
// Servers evaluate the merged view within a second or so of each other: one event, queued by two servers, lies within this.
const SAME_EVENT_WITHIN_MS = 5_000;

export interface NotificationsOptions {
  prisma: Prisma;
  aggregate: Aggregate;
  router: Router;
  config: NotifyConfig;
  now: () => number;
  /** The notifier's time, when rules are evaluated and events stamped; `now` unless a test moves it itself. */
  rulesNow?: () => number;
  logger: Logger;
  version: string;
  fetch?: typeof fetch;
  random?: () => number;
  /** With several servers: whether this one sends the events derived from the live view now (it holds the notifier lease). */
  sendsDerivedEvents?: () => boolean;
  /** With several servers: how long the derived events a server did not send are kept for the lease's failover gap. */
  keepUnsentMs?: number;
}

/**
 * Webhook notifications, wired: settings cache, notifier, delivery queue and
 * the /api/v1/notifications routes. `onTransition` goes beside the live
 * publisher's; `start` runs after the catalog and overrides are loaded, so
 * that breakers already open at a restart are not announced again.
 */
export function createNotifications({
  prisma,
  aggregate,
  router,
  config,
  now,
  rulesNow = now,
  logger,
  version,
  fetch = globalThis.fetch,
  random = Math.random,
  sendsDerivedEvents,
  keepUnsentMs,
}: NotificationsOptions) {
  const settings = createNotificationSettings({ prisma, now });
  const queue = createDeliveryQueue({ prisma, fetch, now, random, config, userAgent: `BreakerPanel/${version}`, logger });
  // A trip seen in another server's partial: its cause is in the reported transition that server stored.
  const causeOfTrip = sendsDerivedEvents
    ? async (breakerId: string, at: number) =>
        prisma.transition.findFirst({
          where: { breakerId, instanceId: { not: null }, toState: 'OPEN', at: { gte: new Date(at - TRIP_CAUSE_LOOKBACK_MS) } },
          orderBy: { id: 'desc' },
          select: { cause: true, failureRate: true, slowCallRate: true },
        })
    : undefined;
  const notifier = createNotifier({ aggregate, settings, queue, now: rulesNow, logger, sendsDerivedEvents, causeOfTrip, keepUnsentMs });
  addEndpointRoutes(router, { prisma, settings, now });
  addRuleRoutes(router, { prisma, settings, now });
  addSnoozeRoutes(router, { prisma, aggregate, settings, now });

  const timers: NodeJS.Timeout[] = [];
  let ticking = false;
  async function tick(): Promise<void> {
    if (ticking) return;
    ticking = true;
    try {
      await settings.reload();
      notifier.evaluateAll();
    } catch (error) {
      logger.warn({ err: error }, 'evaluating notification rules failed');
    } finally {
      ticking = false;
    }
  }

  return {
    onTransition: notifier.onTransition,
    evaluateSome: notifier.evaluateSome,
    /** This server took the notifier lease over: the derived events it kept that no server queued go out (an event queued around the same time, for the same breaker and type, counts as the same). */
    async sendUnsent(): Promise<void> {
      const sent = await notifier.sendUnsent(
        async (event) =>
          (await prisma.notificationDelivery.count({ where: { breakerId: event.breaker.id, eventType: event.type, createdAt: { gte: new Date(event.at - SAME_EVENT_WITHIN_MS) } } })) > 0,
      );
      if (sent > 0) logger.info({ sent }, 'notifier lease taken over: sent the events the previous holder had not');
    },
    async start(): Promise<void> {
      await settings.reload();
      notifier.seed();
      // Retries come due between enqueues; polling at the first retry's pace (at most every second) finds them.
      const pollMs = Math.min(1_000, config.retryBaseMs);
      timers.push(
        setInterval(() => void tick(), config.evaluateIntervalMs),
        setInterval(() => void queue.pump(), pollMs),
      );
      for (const timer of timers) timer.unref();
      void queue.pump();
    },
    async stop(): Promise<void> {
      for (const timer of timers) clearInterval(timer);
      await queue.drain();
    },
  };
}
