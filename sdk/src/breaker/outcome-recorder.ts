import { LATENCY_BUCKET_COUNT, latencyBucketIndex, type TLatencyHistogram, type TOutcomeCounters } from '../../../lib/protocol/index.js';

/**
 * Cumulative outcome counters and latency histogram of one breaker since it
 * was created. Plain number fields and a typed array: recording a call
 * allocates nothing.
 */
export class OutcomeRecorder {
  success = 0;
  failure = 0;
  timeout = 0;
  rejected = 0;
  slow = 0;
  fallback = 0;
  private readonly latencyCounts = new Float64Array(LATENCY_BUCKET_COUNT);
  private latencySumMs = 0;

  /** Records the latency of a call that was made (success, failure or timeout). */
  recordLatency(durationMs: number): void {
    const index = latencyBucketIndex(durationMs);
    this.latencyCounts[index] = (this.latencyCounts[index] as number) + 1;
    if (durationMs > 0) this.latencySumMs += durationMs;
  }

  /** A copy of the counters, safe to hand out. */
  counters(): TOutcomeCounters {
    return {
      success: this.success,
      failure: this.failure,
      timeout: this.timeout,
      rejected: this.rejected,
      slow: this.slow,
      fallback: this.fallback,
    };
  }

  /** A copy of the histogram with trailing zero buckets trimmed (the wire form). */
  histogram(): TLatencyHistogram {
    let length = this.latencyCounts.length;
    while (length > 0 && this.latencyCounts[length - 1] === 0) length -= 1;
    return { counts: Array.from(this.latencyCounts.subarray(0, length)), sumMs: this.latencySumMs };
  }
}
