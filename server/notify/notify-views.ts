import type { TEndpointView } from '../../lib/notify/endpoints.js';
import { ZEndpointFormat } from '../../lib/notify/endpoints.js';
import { ZNotificationEventType } from '../../lib/notify/notification-event.js';
import { ZRuleCondition, type TRuleView } from '../../lib/notify/rules.js';
import type { TSnoozeView } from '../../lib/notify/snoozes.js';
import type { TNotificationDeliveryView } from '../../lib/notify/deliveries.js';

/** Every column of an endpoint but its secret, which is shown once at creation and never again. */
export const ENDPOINT_SELECT = { id: true, name: true, url: true, format: true, services: true, events: true, enabled: true, createdAt: true, updatedAt: true } as const;

export function toEndpointView(row: {
  id: string;
  name: string;
  url: string;
  format: string;
  services: string[];
  events: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}): TEndpointView {
  return {
    ...row,
    format: ZEndpointFormat.parse(row.format),
    events: row.events.flatMap((name) => {
      const parsed = ZNotificationEventType.safeParse(name);
      return parsed.success ? [parsed.data] : [];
    }),
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  };
}

export const RULE_SELECT = { id: true, name: true, condition: true, services: true, enabled: true, createdAt: true, updatedAt: true } as const;

export function toRuleView(row: { id: string; name: string; condition: unknown; services: string[]; enabled: boolean; createdAt: Date; updatedAt: Date }): TRuleView {
  return { ...row, condition: ZRuleCondition.parse(row.condition), createdAt: row.createdAt.getTime(), updatedAt: row.updatedAt.getTime() };
}

export const SNOOZE_SELECT = { id: true, ruleId: true, breakerId: true, label: true, until: true, reason: true, createdByEmail: true, createdAt: true } as const;

export function toSnoozeView(row: {
  id: string;
  ruleId: string | null;
  breakerId: string | null;
  label: string;
  until: Date;
  reason: string | null;
  createdByEmail: string | null;
  createdAt: Date;
}): TSnoozeView {
  return {
    id: row.id,
    target: row.ruleId ? { kind: 'rule', ruleId: row.ruleId } : { kind: 'breaker', breakerId: row.breakerId ?? '' },
    label: row.label,
    until: row.until.getTime(),
    reason: row.reason,
    by: row.createdByEmail,
    createdAt: row.createdAt.getTime(),
  };
}

export const DELIVERY_SELECT = {
  id: true,
  endpointId: true,
  eventId: true,
  eventType: true,
  service: true,
  breaker: true,
  status: true,
  attempts: true,
  lastStatusCode: true,
  lastError: true,
  createdAt: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  deliveredAt: true,
  endpoint: { select: { name: true } },
} as const;

const time = (date: Date | null) => date?.getTime() ?? null;

export function toDeliveryView(row: {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  service: string | null;
  breaker: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  endpoint: { name: string };
}): TNotificationDeliveryView {
  return {
    ...row,
    endpoint: row.endpoint.name,
    createdAt: row.createdAt.getTime(),
    lastAttemptAt: time(row.lastAttemptAt),
    // A pending row's next attempt; a claimed row's lease is an implementation detail but still "when next".
    nextAttemptAt: row.status === 'pending' ? time(row.nextAttemptAt) : null,
    deliveredAt: time(row.deliveredAt),
  };
}
