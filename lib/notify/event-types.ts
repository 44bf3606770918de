import { z } from 'zod';

/**
 * Every kind of notification. The first four come from a breaker's
 * service-wide state and the operator's overrides; the `rule.` ones from the
 * rules evaluated on a timer. A file of its own: the browser needs the list,
 * and nothing else of the event payloads.
 */
export const ZNotificationEventType = z.enum(['breaker.tripped', 'breaker.recovered', 'breaker.overridden', 'breaker.override_ended', 'rule.open_too_long', 'rule.instances_open', 'rule.flapping']);

/** One kind of notification. */
export type TNotificationEventType = z.infer<typeof ZNotificationEventType>;
