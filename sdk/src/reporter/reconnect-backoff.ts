/**
 * Exponential backoff with full jitter for reconnects Socket.IO does not do
 * itself (after the server refused or closed the connection): attempt n waits
 * a random time in [delay/2, delay] with delay = min(initial × 2^n, max), so a
 * fleet that lost the panel at once does not come back at once.
 */
export function createReconnectBackoff(initialMs: number, maxMs: number, random: () => number = Math.random) {
  let attempt = 0;
  return {
    nextDelay(): number {
      const delay = Math.min(initialMs * 2 ** attempt, maxMs);
      attempt = Math.min(attempt + 1, 30);
      return delay / 2 + (random() * delay) / 2;
    },
    reset(): void {
      attempt = 0;
    },
  };
}
