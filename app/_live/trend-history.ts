const SAMPLE_EVERY_MS = 10_000;
const MAX_SAMPLES = 90; // 15 minutes of 10 s samples

/**
 * Call-rate samples per breaker for the overview's sparklines, kept since the
 * page opened: bounded per breaker, outside the store because a sample every
 * ten seconds must not re-render anything by itself.
 */
export class TrendHistory {
  private readonly samples = new Map<string, { at: number; values: number[] }>();

  record(breakerId: string, callsPerSecond: number, now: number): void {
    const entry = this.samples.get(breakerId);
    if (!entry) {
      this.samples.set(breakerId, { at: now, values: [callsPerSecond] });
      return;
    }
    if (now - entry.at < SAMPLE_EVERY_MS) {
      entry.values[entry.values.length - 1] = callsPerSecond;
      return;
    }
    entry.at = now;
    entry.values.push(callsPerSecond);
    if (entry.values.length > MAX_SAMPLES) entry.values.shift();
  }

  /**
   * Puts stored samples (10 s apart, oldest first) before whatever was
   * recorded since the page opened; the next live sample starts a new point.
   */
  seed(breakerId: string, stored: readonly number[], now: number): void {
    const entry = this.samples.get(breakerId);
    const values = [...stored, ...(entry?.values ?? [])].slice(-MAX_SAMPLES);
    this.samples.set(breakerId, { at: entry?.at ?? now - SAMPLE_EVERY_MS, values });
  }

  get(id: string): readonly number[] {
    return this.samples.get(id)?.values ?? [];
  }
}
