import { sourceClientOf } from '../../lib/api/reporter-client.js';
import type { Aggregate } from '../aggregate/aggregate';

/**
 * Whether an operator's command can reach this instance: every reporter can
 * be steered except a source the panel only watches (a scrape, a stream,
 * pushed metrics, an actuator without its write operation). Commands leave
 * those out rather than wait forever for an acknowledgement.
 */
export function steerable(aggregate: Aggregate, instanceId: string): boolean {
  const sdk = aggregate.instances.get(instanceId)?.sdk;
  return !(sdk && sourceClientOf(sdk.name)?.readOnly);
}
