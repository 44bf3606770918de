import { randomUUID } from 'node:crypto';
import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import type { TNotificationEvent } from '../../lib/notify/notification-event.js';
import type { Aggregate } from '../aggregate/aggregate';
import type { Logger } from '../logger';
import { evaluateBreaker, newTrack, type BreakerTrack, type Trigger } from './breaker-track';
import type { DeliveryQueue } from './delivery-queue';
import { coversService, type EventDraft } from './event-draft';
import { eventText } from './event-text';
import type { NotificationSettings } from './notification-settings';
import { overrideDraft } from './override-draft';

export interface NotifierDependencies {
  aggregate: Aggregate;
  settings: NotificationSettings;
  queue: Pick<DeliveryQueue, 'enqueue'>;
  now: () => number;
  logger: Logger;
  /**
   * Whether this server sends the events derived from the live view (trips,
   * recoveries, rules); with several servers, only the one holding the
   * notifier lease does, while every server keeps its tracks in step. Absent: it does.
   */
  sendsDerivedEvents?: () => boolean;
  /**
   * With several servers: the cause of a breaker's latest trip as stored,
   * for a trip this server saw in another server's partial (the reported
   * transition behind it was stored there).
   */
  causeOfTrip?: (breakerId: string, at: number) => Promise<Trigger | null>;
  /**
   * With several servers: how long a server that does not hold the notifier
   * lease keeps the derived events it did not send, for the failover gap
   * (sendUnsent). Absent: none are kept.
   */
  keepUnsentMs?: number;
}

export type Notifier = ReturnType<typeof createNotifier>;

/**
 * Turns stored transitions and the aggregate's service-wide view into
 * notification events, per breaker (ten instances tripping is one event),
 * drops the snoozed ones and queues the rest for the endpoints that want
 * them. Synchronous up to the queue: ingest never waits on a webhook.
 */
export function createNotifier({ aggregate, settings, queue, now, logger, sendsDerivedEvents = () => true, causeOfTrip, keepUnsentMs = 0 }: NotifierDependencies) {
  const tracks = new Map<string, BreakerTrack>();
  // Derived events this server evaluated while another held the lease, oldest first: if that one died before sending them, they go out from here.
  let unsent: Array<{ event: TNotificationEvent; targets: Parameters<DeliveryQueue['enqueue']>[1] }> = [];

  function trackOf(breakerId: string): BreakerTrack {
    let track = tracks.get(breakerId);
    if (!track) {
      // Seen for the first time after start: a new breaker, whose first trip is news.
      track = newTrack(null, null);
      tracks.set(breakerId, track);
    }
    return track;
  }

  function dispatch(breakerId: string, drafts: readonly EventDraft[], at: number, derived: boolean): void {
    const holding = derived && !sendsDerivedEvents();
    if (drafts.length === 0 || (holding && keepUnsentMs === 0)) return;
    const summary = aggregate.summary(breakerId);
    if (!summary) return;
    const { endpoints } = settings.current();
    for (const draft of drafts) {
      if (settings.snoozed(breakerId, 'rule' in draft ? draft.rule.id : null, at)) continue;
      const targets = endpoints.filter((endpoint) => endpoint.events.has(draft.type) && coversService(endpoint.services, summary.service));
      if (targets.length === 0) continue;
      const address = (what: EventDraft) =>
        ({
          ...what,
          id: randomUUID(),
          at,
          service: summary.service,
          breaker: { id: breakerId, name: summary.name },
          state: summary.state,
          instances: summary.instances,
          text: eventText(what, { service: summary.service, breaker: summary.name }),
        }) as TNotificationEvent;
      const enqueue = (event: TNotificationEvent) => {
        if (holding) return void hold(event, targets);
        queue.enqueue(event, targets).catch((error: unknown) => logger.error({ err: error, type: event.type, breakerId }, 'queueing a notification failed'));
      };
      if (causeOfTrip && draft.type === 'breaker.tripped' && draft.cause === null) {
        void causeOfTrip(breakerId, at)
          .catch(() => null)
          .then((trigger) => enqueue(address(trigger ? { ...draft, ...trigger } : draft)));
      } else enqueue(address(draft));
    }
  }

  function hold(event: TNotificationEvent, targets: Parameters<DeliveryQueue['enqueue']>[1]): void {
    const kept = unsent.findIndex((item) => item.event.at >= now() - keepUnsentMs);
    if (kept !== 0) unsent = kept < 0 ? [] : unsent.slice(kept);
    unsent.push({ event, targets });
  }

  function evaluate(breakerId: string, at: number, trigger: Parameters<typeof evaluateBreaker>[4]): void {
    const summary = aggregate.summary(breakerId);
    if (!summary) return;
    const rules = settings.current().rules.filter((rule) => coversService(rule.services, summary.service));
    dispatch(breakerId, evaluateBreaker(trackOf(breakerId), summary, rules, at, trigger), at, true);
  }

  return {
    /** Takes the breakers known at start as they are: a restart is not a trip. */
    seed(): void {
      for (const id of aggregate.breakerIds()) {
        const summary = aggregate.summary(id);
        if (summary && !tracks.has(id)) tracks.set(id, newTrack(summary, summary.stateSince));
      }
    },

    /** Every stored transition: the panel's own rows are override events, reported ones move the breaker's phase. */
    onTransition(record: TTransitionRecord): void {
      const at = now();
      if (record.instance === null) {
        const draft = overrideDraft(record, aggregate.summary(record.breakerId)?.override ?? null);
        if (draft) dispatch(record.breakerId, [draft], at, false);
        return;
      }
      evaluate(record.breakerId, at, { cause: record.cause, failureRate: record.failureRate, slowCallRate: record.slowCallRate });
    },

    /** The timer's pass over every breaker: durations, shares of instances, flapping ending, stale fleets. */
    evaluateAll(): void {
      const at = now();
      for (const id of aggregate.breakerIds()) evaluate(id, at, null);
    },

    /**
     * This server now holds the notifier lease: the derived events it kept
     * that the previous holder did not send (it died, or let the lease go,
     * first) go out now. `sentElsewhere` says whether another server queued
     * the same event.
     */
    async sendUnsent(sentElsewhere: (event: TNotificationEvent) => Promise<boolean>): Promise<number> {
      const kept = unsent.filter((item) => item.event.at >= now() - keepUnsentMs);
      unsent = [];
      let sent = 0;
      for (const { event, targets } of kept) {
        if (await sentElsewhere(event)) continue;
        await queue.enqueue(event, targets);
        sent += 1;
      }
      return sent;
    },

    /** Breakers whose merged view another server moved: evaluated at once rather than on the next pass. */
    evaluateSome(breakerIds: Iterable<string>): void {
      const at = now();
      for (const id of breakerIds) evaluate(id, at, null);
    },
  };
}
