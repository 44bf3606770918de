/**
 * How long to wait before retry `attempt` (0 for the first retry):
 * exponential, min(base × 2^attempt, max), with "equal jitter": half of it
 * fixed and the other half random, so that clients that failed together
 * (a fleet that lost the panel, webhooks to one endpoint) do not retry in
 * lockstep, yet none retries at once.
 */
export function retryBackoff(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const delay = Math.min(baseMs * 2 ** Math.min(Math.max(0, attempt), 30), maxMs);
  return delay / 2 + random() * (delay / 2);
}
