import { ZEndpointFormat, type TEndpointFormat } from '../../lib/notify/endpoints.js';
import { ZNotificationEventType, type TNotificationEventType } from '../../lib/notify/notification-event.js';
import { ZRuleCondition } from '../../lib/notify/rules.js';
import type { Prisma } from '../store/prisma';
import type { ActiveRule } from './event-draft';

/** An enabled endpoint with what signing and routing need. */
export interface ActiveEndpoint {
  id: string;
  url: string;
  secret: string;
  format: TEndpointFormat;
  services: readonly string[];
  events: ReadonlySet<TNotificationEventType>;
}

export interface SettingsSnapshot {
  endpoints: readonly ActiveEndpoint[];
  rules: readonly ActiveRule[];
  /** Snoozed rule and breaker ids, each with its end (epoch ms). */
  snoozedRules: ReadonlyMap<string, number>;
  snoozedBreakers: ReadonlyMap<string, number>;
}

export type NotificationSettings = ReturnType<typeof createNotificationSettings>;

/**
 * Endpoints, rules and snoozes held in memory, because events are derived on
 * the ingest path and must not wait for a query. Reloaded on every rule tick
 * and at once after a change made through this server, so other servers
 * sharing the database catch up within a tick.
 */
export function createNotificationSettings({ prisma, now }: { prisma: Prisma; now: () => number }) {
  let snapshot: SettingsSnapshot = { endpoints: [], rules: [], snoozedRules: new Map(), snoozedBreakers: new Map() };
  // Reloads overlap (a tick's and a change's): the one started last wins, else an older read could undo a snooze just added.
  let started = 0;
  let applied = 0;

  async function reload(): Promise<void> {
    const order = ++started;
    const at = new Date(now());
    const [endpoints, rules, snoozes] = await Promise.all([
      prisma.notificationEndpoint.findMany({ where: { enabled: true }, select: { id: true, url: true, secret: true, format: true, services: true, events: true } }),
      prisma.notificationRule.findMany({ where: { enabled: true }, select: { id: true, name: true, condition: true, services: true } }),
      prisma.notificationSnooze.findMany({ where: { endedAt: null, until: { gt: at } }, select: { ruleId: true, breakerId: true, until: true } }),
    ]);
    if (order < applied) return;
    applied = order;
    const snoozedRules = new Map<string, number>();
    const snoozedBreakers = new Map<string, number>();
    for (const snooze of snoozes) {
      const target = snooze.ruleId ? snoozedRules : snoozedBreakers;
      const id = snooze.ruleId ?? snooze.breakerId;
      if (id) target.set(id, Math.max(target.get(id) ?? 0, snooze.until.getTime()));
    }
    snapshot = {
      endpoints: endpoints.map((row) => ({
        id: row.id,
        url: row.url,
        secret: row.secret,
        format: ZEndpointFormat.parse(row.format),
        services: row.services,
        // Rows are written through the validated API; an unknown name (from a newer server) is skipped, not fatal.
        events: new Set(row.events.flatMap((name) => (ZNotificationEventType.safeParse(name).success ? [name as TNotificationEventType] : []))),
      })),
      rules: rules.flatMap((row) => {
        const condition = ZRuleCondition.safeParse(row.condition);
        return condition.success ? [{ id: row.id, name: row.name, condition: condition.data, services: row.services }] : [];
      }),
      snoozedRules,
      snoozedBreakers,
    };
  }

  return {
    reload,
    current: (): SettingsSnapshot => snapshot,
    /** Whether an event about `breakerId` (from `ruleId`, for rule events) is silenced at `at`. */
    snoozed(breakerId: string, ruleId: string | null, at: number): boolean {
      const breakerUntil = snapshot.snoozedBreakers.get(breakerId);
      const ruleUntil = ruleId ? snapshot.snoozedRules.get(ruleId) : undefined;
      return (breakerUntil !== undefined && breakerUntil > at) || (ruleUntil !== undefined && ruleUntil > at);
    },
  };
}
