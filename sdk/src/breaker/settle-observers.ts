import type { Clock } from './clock.js';

/** The two callbacks `execute` attaches to a call's promise with `.then`, and the call start and generation they record for. */
export interface SettleObserver {
  readonly start: number;
  readonly generation: number;
  readonly onFulfilled: () => void;
  readonly onRejected: (error: unknown) => void;
}

/**
 * Hands out the callbacks that record a call's outcome. Everything a call's
 * bookkeeping needs besides the outcome is when it started and the generation
 * it was admitted in, so calls that share both share one pair of callbacks:
 * under the turn clock that is every call started in one event-loop turn.
 * When the clock says when its turn ends (the breaker's own turn clock), the
 * pair is kept until then and a call reads no clock at all; any other clock
 * is read per call and a new reading gets a new pair. Why this matters:
 * docs/performance.md, "SDK".
 */
export class SettleObservers {
  private current: SettleObserver | null = null;

  constructor(
    private readonly clock: Clock,
    /** True when endTurn() is called whenever the clock's reading may change. */
    private readonly turnEndsAnnounced: boolean,
    private readonly create: (start: number, generation: number) => SettleObserver,
  ) {}

  /** The callbacks for a call starting now in `generation`. */
  get(generation: number): SettleObserver {
    const current = this.current;
    if (this.turnEndsAnnounced) {
      if (current !== null && current.generation === generation) return current;
      return this.renew(this.clock.now(), generation);
    }
    const start = this.clock.now();
    if (current !== null && current.start === start && current.generation === generation) return current;
    return this.renew(start, generation);
  }

  /** The clock's turn ended: the next call starts at a new reading. */
  endTurn(): void {
    this.current = null;
  }

  private renew(start: number, generation: number): SettleObserver {
    this.current = this.create(start, generation);
    return this.current;
  }
}
