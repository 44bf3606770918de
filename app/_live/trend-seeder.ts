import { MAX_TREND_IDS, type TCallTrends } from '../../lib/api/call-trends';
import { callApi } from '../_access/api-client';
import type { TrendHistory } from './trend-history';

// Rows that mount together (a load, a scroll) are asked for in one request.
const GATHER_MS = 150;

/**
 * Fills the sparklines of the rows on screen from the stored 10 s buckets,
 * once per breaker per page, so that they show the last 15 minutes at once
 * instead of starting empty when the page opens.
 */
export class TrendSeeder {
  private readonly asked = new Set<string>();
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly inFlight = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly trends: TrendHistory) {}

  /** Asks for a breaker's stored trend (once per page); `onSeeded` runs when it arrived. Returns a cancel function. */
  want(breakerId: string, onSeeded: () => void): () => void {
    if (this.asked.has(breakerId) && !this.waiting.has(breakerId)) return () => undefined;
    this.asked.add(breakerId);
    const listeners = this.waiting.get(breakerId) ?? new Set();
    listeners.add(onSeeded);
    this.waiting.set(breakerId, listeners);
    this.timer ??= setTimeout(() => void this.fetchWaiting(), GATHER_MS);
    return () => listeners.delete(onSeeded);
  }

  private async fetchWaiting(): Promise<void> {
    this.timer = null;
    const ids = [...this.waiting.keys()].filter((id) => !this.inFlight.has(id)).slice(0, MAX_TREND_IDS);
    for (const id of ids) this.inFlight.add(id);
    try {
      const answer = await callApi<TCallTrends>(`/api/v1/breaker-trends?ids=${ids.join(',')}`);
      const now = Date.now();
      for (const [id, values] of Object.entries(answer.trends)) this.trends.seed(id, values, now);
    } catch {
      // A sparkline without its past is no reason to bother anyone: it fills from live samples.
    } finally {
      for (const id of ids) {
        this.inFlight.delete(id);
        for (const listener of this.waiting.get(id) ?? []) listener();
        this.waiting.delete(id);
      }
      if (this.waiting.size > 0) this.timer ??= setTimeout(() => void this.fetchWaiting(), GATHER_MS);
    }
  }
}
