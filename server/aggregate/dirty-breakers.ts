import type { BreakerState } from './live-entries';

/** The breakers changed since the dashboards were last sent them (coalesced into the next delta), and among them those whose state changed (sent at once). */
export class DirtyBreakers {
  private dirty = new Set<string>();
  private stateChanged = new Set<string>();
  // Counts the dirty sets handed over: a breaker whose dirtyIn equals it is in the current one.
  private generation = 0;

  constructor(private readonly breakers: ReadonlyMap<string, BreakerState>) {}

  /** A breaker's counters moved (`stateChange` false) or its state, instance counts or override may have. */
  mark(breaker: BreakerState, stateChange: boolean): void {
    if (stateChange) this.stateChanged.add(breaker.id);
    if (breaker.dirtyIn === this.generation) return;
    breaker.dirtyIn = this.generation;
    this.dirty.add(breaker.id);
  }

  /** A breaker's override changed; it may not be in memory (a breaker known only to the database). */
  markOverride(breakerId: string): void {
    const breaker = this.breakers.get(breakerId);
    if (breaker) breaker.dirtyIn = this.generation;
    this.dirty.add(breakerId);
    this.stateChanged.add(breakerId);
  }

  takeDirty(): Set<string> {
    const taken = this.dirty;
    this.dirty = new Set();
    this.generation += 1;
    this.stateChanged = new Set();
    return taken;
  }

  /** The breakers whose state changed since last taken; they are no longer dirty. */
  takeStateChanges(): Set<string> {
    const taken = this.stateChanged;
    this.stateChanged = new Set();
    for (const id of taken) {
      this.dirty.delete(id);
      const breaker = this.breakers.get(id);
      if (breaker) breaker.dirtyIn = -1;
    }
    return taken;
  }
}
