/**
 * A bounded buffer of messages awaiting the server's acknowledgement, oldest
 * first. When full, the oldest message is dropped and counted: memory stays
 * bounded whatever the server does, and the drop count is reported.
 */
export class Outbox<T> {
  /** Messages dropped because the outbox was full (cumulative). */
  dropped = 0;
  // A Map keeps insertion order, so the first key is always the oldest message.
  private readonly entries = new Map<number, { message: T; inFlight: boolean }>();

  constructor(private readonly capacity: number) {}

  /** Adds a message under its key (the transition sequence, or any unique number). */
  push(key: number, message: T): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
      this.dropped += 1;
    }
    this.entries.set(key, { message, inFlight: false });
  }

  /** Messages not yet sent (or whose sending failed), oldest first; marks them in flight. */
  takeUnsent(): Array<[number, T]> {
    const unsent: Array<[number, T]> = [];
    for (const [key, entry] of this.entries) {
      if (entry.inFlight) continue;
      entry.inFlight = true;
      unsent.push([key, entry.message]);
    }
    return unsent;
  }

  /** The server stored it: forget it. */
  acknowledge(key: number): void {
    this.entries.delete(key);
  }

  /** Sending failed or timed out: send it again later. */
  retry(key: number): void {
    const entry = this.entries.get(key);
    if (entry) entry.inFlight = false;
  }

  /** The connection dropped: nothing is in flight any more. */
  retryAll(): void {
    for (const entry of this.entries.values()) entry.inFlight = false;
  }

  get size(): number {
    return this.entries.size;
  }
}
