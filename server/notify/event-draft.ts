import type { TNotificationEvent } from '../../lib/notify/notification-event.js';
import type { TRuleCondition } from '../../lib/notify/rules.js';

type BaseKeys = 'id' | 'at' | 'service' | 'breaker' | 'state' | 'instances' | 'text';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before it is addressed: what happened, without who it happened to (the notifier adds that). */
export type EventDraft = DistributiveOmit<TNotificationEvent, BaseKeys>;

/** A rule as the evaluator needs it. */
export interface ActiveRule {
  id: string;
  name: string;
  condition: TRuleCondition;
  /** Service names; empty means every service. */
  services: readonly string[];
}

/** Whether a rule or an endpoint with this service list covers a service. */
export const coversService = (services: readonly string[], service: string) => services.length === 0 || services.includes(service);
