/**
 * The wait before attempt `attempt + 1` after `attempt` failed: exponential
 * (base, 2×base, 4×base …, capped), with "equal jitter" — half fixed, half
 * random — so that endpoints that failed together do not retry in lockstep.
 */
export function retryDelay(attempt: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }, random: () => number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
