import type { TOutcomeCounters } from '../../../lib/protocol/breaker-report.js';
import type { HystrixRollingCounts } from './hystrix-command';

/** Hystrix's default `metrics.rollingStats.timeInMilliseconds`, for streams that do not say. */
export const DEFAULT_ROLLING_WINDOW_MS = 10_000;

/**
 * Running totals from Hystrix's rolling-window counts. The stream re-sends a
 * sliding window every 500 ms, so the same call appears in about twenty
 * snapshots and a count that goes down only means a bucket slid out:
 * differences between snapshots mean nothing. Following COMPAT.md §5.5 (b),
 * the window is added once per full window length: the first snapshot of a
 * connection counts as the delta from zero (a reconnect is a new run), then
 * one sample each time a whole window has passed on the service's clock.
 * Calls in the gap between two samples (at most one emission interval per
 * window) are missed, so the totals are approximate; slow calls are not a
 * Hystrix concept and stay 0.
 */
export class RollingWindowTotals {
  private lastSampleAt: number | null = null;
  private readonly totals: TOutcomeCounters = { success: 0, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 };

  observe(at: number, windowMs: number | null, rolling: HystrixRollingCounts): TOutcomeCounters {
    const window = windowMs !== null && windowMs > 0 ? windowMs : DEFAULT_ROLLING_WINDOW_MS;
    if (this.lastSampleAt !== null && at < this.lastSampleAt) this.lastSampleAt = at; // the service's clock stepped back: start the window again
    if (this.lastSampleAt === null || at - this.lastSampleAt >= window) {
      this.totals.success += rolling.success;
      this.totals.failure += rolling.failure;
      this.totals.timeout += rolling.timeout;
      this.totals.rejected += rolling.shortCircuited + rolling.threadPoolRejected + rolling.semaphoreRejected;
      this.totals.fallback += rolling.fallbackSuccess;
      this.lastSampleAt = at;
    }
    return { ...this.totals };
  }
}
