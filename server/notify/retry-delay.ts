import { retryBackoff } from '../../lib/protocol/retry-backoff.js';

/** The wait before attempt `attempt + 1` after attempt `attempt` (from 1) failed, rounded to a millisecond. */
export function retryDelay(attempt: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }, random: () => number): number {
  return Math.round(retryBackoff(attempt - 1, baseMs, maxMs, random));
}
