import type { BreakerState } from './live-entries';

/** The breakers changed since the dashboards were last sent them (coalesced into the next delta), and among them those whose state changed (sent at once). */
export class DirtyBreakers {
  // Kept across generations: a set per delta grew under every report and was promoted (docs/performance.md). A breaker marked again after its state change was taken is in it twice.
  private readonly marked: BreakerState[] = [];
  private markedCount = 0;
  private notInMemory = new Set<string>();
  private stateChanged = new Set<string>();
  private generation = 0;

  constructor(private readonly breakers: ReadonlyMap<string, BreakerState>) {}

  /** A breaker's counters moved (`stateChange` false) or its state, instance counts or override may have. */
  mark(breaker: BreakerState, stateChange: boolean): void {
    if (stateChange) this.stateChanged.add(breaker.id);
    if (breaker.dirtyIn === this.generation) return;
    breaker.dirtyIn = this.generation;
    this.marked[this.markedCount++] = breaker;
  }

  /** A breaker's override changed; it may not be in memory (a breaker known only to the database). */
  markOverride(breakerId: string): void {
    const breaker = this.breakers.get(breakerId);
    if (breaker) return this.mark(breaker, true);
    this.notInMemory.add(breakerId);
    this.stateChanged.add(breakerId);
  }

  takeDirty(): Set<string> {
    const taken = this.notInMemory;
    for (let i = 0; i < this.markedCount; i++) if (this.marked[i]!.dirtyIn === this.generation) taken.add(this.marked[i]!.id);
    this.markedCount = 0;
    this.generation += 1;
    [this.notInMemory, this.stateChanged] = [new Set(), new Set()];
    return taken;
  }

  /** The breakers whose state changed since last taken; they are no longer dirty. */
  takeStateChanges(): Set<string> {
    const taken = this.stateChanged;
    this.stateChanged = new Set();
    for (const id of taken) {
      this.notInMemory.delete(id);
      const breaker = this.breakers.get(id);
      if (breaker) breaker.dirtyIn = -1;
    }
    return taken;
  }
}
