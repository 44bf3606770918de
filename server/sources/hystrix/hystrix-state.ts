import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import type { HystrixCommand } from './hystrix-command';

/**
 * The panel state of a Hystrix command, in the order of COMPAT.md §5.3:
 * force-open wins over force-closed (as in Hystrix's own `isOpen()`), a
 * disabled breaker is the closest thing to FORCED_CLOSED, and
 * `isCircuitBreakerOpen` is OPEN. HALF_OPEN is never derived: Hystrix
 * reports its half-open trial as open, and no field of the stream tells them
 * apart.
 */
export function hystrixState(command: HystrixCommand): TBreakerState {
  if (command.forceOpen) return 'FORCED_OPEN';
  if (command.forceClosed || !command.enabled) return 'FORCED_CLOSED';
  return command.isCircuitBreakerOpen ? 'OPEN' : 'CLOSED';
}
