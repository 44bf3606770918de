/** The two callbacks `execute` attaches to a call's promise with `.then`. */
export interface SettleObserver {
  readonly onFulfilled: () => void;
  readonly onRejected: (error: unknown) => void;
}

/**
 * Hands out the callbacks that record a call's outcome. Everything a call's
 * bookkeeping needs besides the outcome is when it started and the generation
 * it was admitted in, so calls that share both share one pair of callbacks:
 * under the turn clock that is every call started in one event-loop turn.
 * A pair (and its closure context) allocated per call makes `execute` cost
 * 2.31× a bare await instead of 2.10× (docs/performance.md, "SDK").
 */
export class SettleObservers {
  private start = Number.NaN;
  private generation = -1;
  private current: SettleObserver | null = null;

  constructor(private readonly create: (start: number, generation: number) => SettleObserver) {}

  /** The callbacks for a call that started at `start` in `generation`. */
  get(start: number, generation: number): SettleObserver {
    if (this.current === null || start !== this.start || generation !== this.generation) {
      this.current = this.create(start, generation);
      this.start = start;
      this.generation = generation;
    }
    return this.current;
  }
}
