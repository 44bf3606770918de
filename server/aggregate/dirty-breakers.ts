import type { BreakerState } from './live-entries';

/** The breakers changed since the dashboards were last sent them (coalesced into the next delta), and among them those whose state changed (sent at once). */
export class DirtyBreakers {
  // Kept from one delta to the next: a set per delta grew under every report and was promoted (docs/performance.md). A breaker marked again after its state change was taken is in it twice.
  private readonly marked: BreakerState[] = [];
  private markedCount = 0;
  private stateChanged = new Set<string>();

  constructor(private readonly breakers: ReadonlyMap<string, BreakerState>) {}

  /** A breaker's counters moved (`stateChange` false) or its state, instance counts or override may have. */
  mark(breaker: BreakerState, stateChange: boolean): void {
    if (stateChange) this.stateChanged.add(breaker.id);
    if (breaker.dirty) return;
    breaker.dirty = true;
    this.marked[this.markedCount++] = breaker;
  }

  /** A breaker's override changed; it may not be in memory (a breaker known only to the database, or held by other servers). */
  markOverride(breakerId: string): void {
    const breaker = this.breakers.get(breakerId);
    if (breaker) this.mark(breaker, true);
    else this.stateChanged.add(breakerId);
  }

  /** Each breaker marked since last taken, once, but those whose state change was taken since; an array, as a set of them all was large enough to be allocated old. */
  takeDirty(): string[] {
    const taken: string[] = [];
    for (let i = 0; i < this.markedCount; i++) {
      const breaker = this.marked[i]!;
      if (breaker.dirty) taken.push(breaker.id);
      breaker.dirty = false;
    }
    this.markedCount = 0;
    return taken;
  }

  /** The breakers whose state changed since last taken; they are no longer dirty. */
  takeStateChanges(): Set<string> {
    const taken = this.stateChanged;
    this.stateChanged = new Set();
    for (const id of taken) {
      const breaker = this.breakers.get(id);
      if (breaker) breaker.dirty = false;
    }
    return taken;
  }
}
