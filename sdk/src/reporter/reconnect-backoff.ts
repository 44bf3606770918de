import { retryBackoff } from '../../../lib/protocol/index.js';

/**
 * The delays of reconnects Socket.IO does not do itself (after the server
 * refused or closed the connection), growing until a registration succeeds.
 */
export function createReconnectBackoff(initialMs: number, maxMs: number, random: () => number = Math.random) {
  let attempt = 0;
  return {
    nextDelay(): number {
      return retryBackoff(attempt++, initialMs, maxMs, random);
    },
    reset(): void {
      attempt = 0;
    },
  };
}
