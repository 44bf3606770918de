/**
 * One long-lived buffer that holds the text of messages the read gate keeps
 * for a later turn, oldest first: copies are taken at the head and given
 * back, in the same order, at the tail.
 *
 * Why: a held message's bytes are a view into the chunk its socket read, and
 * a message held for a later turn outlives a young-generation collection or
 * two, so its chunk is promoted to the old generation. V8 counts array
 * buffers promoted so (external memory) and starts a full collection
 * whenever they grow by 64 MB. At 100,000 breaker-reports a second, with the
 * panel behind, that was up to 50 MB of chunks a second and a full
 * collection about every second. A copy here lets the chunk die young, and
 * the ring, allocated once, never counts as new external memory.
 */
export class HeldTextRing {
  private slab: Buffer | null = null;
  /** Where the next copy goes, and where the oldest copy still held starts. */
  private head = 0;
  private tail = 0;
  /** Start and end of every copy still held, oldest first, as pairs of numbers. */
  private readonly spans: number[] = [];
  private first = 0;
  private wrapped = false;

  constructor(readonly capacity: number) {}

  /** A copy of `data` in the ring, or null when the ring has no room for it (the caller keeps the original). */
  copy(data: Buffer): Buffer | null {
    const length = data.length;
    const start = this.placeFor(length);
    if (start === null) return null;
    // A copy placed before the head, with copies held, is the head going round to the beginning.
    if (start < this.head && this.heldCount > 0) this.wrapped = true;
    this.slab ??= Buffer.allocUnsafeSlow(this.capacity);
    data.copy(this.slab, start);
    this.head = start + length;
    this.spans.push(start, this.head);
    return this.slab.subarray(start, this.head);
  }

  /** Gives back the oldest copy; its bytes may be overwritten from now on. */
  release(): void {
    if (this.heldCount === 0) throw new Error('HeldTextRing.release: nothing is held');
    this.first += 2;
    if (this.first === this.spans.length) {
      // Empty: start again from the beginning.
      this.spans.length = 0;
      this.first = 0;
      this.head = this.tail = 0;
      this.wrapped = false;
      return;
    }
    const next = this.spans[this.first]!;
    // The next copy starts before the one given back: the tail has followed the head round to the beginning.
    if (next < this.tail) this.wrapped = false;
    this.tail = next;
    // The array of spans only grows while copies are held; drop what was given back now and then.
    if (this.first > 4096) {
      this.spans.splice(0, this.first);
      this.first = 0;
    }
  }

  /** Copies held now. */
  get heldCount(): number {
    return (this.spans.length - this.first) / 2;
  }

  private placeFor(length: number): number | null {
    if (this.heldCount === 0) return length <= this.capacity ? 0 : null;
    // Wrapped: held bytes run from the tail to where the head wrapped, and from the beginning to the head.
    if (this.wrapped) return this.tail - this.head >= length ? this.head : null;
    // Held bytes run from the tail to the head: room after the head, or before the tail.
    if (this.capacity - this.head >= length) return this.head;
    return this.tail >= length ? 0 : null;
  }
}
