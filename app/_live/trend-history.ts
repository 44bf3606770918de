import type { TBreakerSummary } from '../../lib/api/breaker-summary';

const SAMPLE_EVERY_MS = 10_000;
const MAX_SAMPLES = 90; // 15 minutes of 10 s samples

/**
 * Call-rate samples per breaker for the overview's sparklines, kept since the
 * page opened: bounded per breaker, outside the store because a sample every
 * ten seconds must not re-render anything by itself.
 */
export class TrendHistory {
  private readonly samples = new Map<string, { at: number; values: number[] }>();

  record(summary: TBreakerSummary, now: number): void {
    const entry = this.samples.get(summary.id);
    if (!entry) {
      this.samples.set(summary.id, { at: now, values: [summary.rates.callsPerSecond] });
      return;
    }
    if (now - entry.at < SAMPLE_EVERY_MS) {
      entry.values[entry.values.length - 1] = summary.rates.callsPerSecond;
      return;
    }
    entry.at = now;
    entry.values.push(summary.rates.callsPerSecond);
    if (entry.values.length > MAX_SAMPLES) entry.values.shift();
  }

  get(id: string): readonly number[] {
    return this.samples.get(id)?.values ?? [];
  }
}
