/** A connection that can stop reading its input for a while: a ws WebSocket. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * Backpressure for incoming messages: libuv reads every socket that has data in one turn of the event loop, and with
 * many reporters behind that held timers, dashboards and flushes for seconds. A turn handles messages for at most its
 * budget; later ones queue with their connection paused (TCP pushes back) and are handled oldest first, a budget at a
 * time, after the next turns' timers. A connection keeps its order. Figures: docs/performance.md ("The read gate").
 */
export class ReadGate {
  private readonly waiting: Array<{ connection: Pausable; deliver: () => void }> = [];
  // Messages waiting per connection; a connection is paused while it has any.
  private readonly held = new Map<Pausable, number>();
  private turnStartedAt: number | null = null;
  /** Messages held for a later turn since the start (a Prometheus counter). */
  heldTotal = 0;

  constructor(
    /** How long one turn of the event loop may spend handling incoming messages. */
    private readonly turnBudgetMs: number,
    private readonly now = () => performance.now(),
    /** How many waiting messages are handed over together (deliverFrom). */
    private readonly groupSize = 32,
  ) {}

  /** Handles a message of `connection` now (`deliver`, and true), or queues it for a later turn (false). */
  admit(connection: Pausable, deliver: () => void): boolean {
    const at = this.now();
    if (this.turnStartedAt === null) this.startTurn(at);
    if (!this.held.has(connection) && at - this.turnStartedAt! < this.turnBudgetMs) {
      deliver();
      return true;
    }
    const count = this.held.get(connection) ?? 0;
    if (count === 0) connection.pause();
    this.held.set(connection, count + 1);
    this.waiting.push({ connection, deliver });
    this.heldTotal += 1;
    return false;
  }

  /** Messages waiting now (a Prometheus gauge; tests). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  private startTurn(at: number): void {
    this.turnStartedAt = at;
    // The check phase runs right after the pass over the sockets: the turn ends there.
    setImmediate(this.endTurn);
  }

  private readonly endTurn = (): void => {
    this.turnStartedAt = null;
    if (this.waitingCount === 0) return;
    // Handling the queue is the next turn's share: messages read before that turn ends queue behind it.
    const start = this.now();
    this.startTurn(start);
    this.deliverFrom(start);
  };

  /**
   * Hands over the oldest waiting messages, a group at a time, each group once the work the one before queued has run.
   * Socket.IO handles a message in process.nextTick and acknowledges it in a microtask: a whole turn handed over in one
   * synchronous loop stayed parsed until the loop ended, and the young generation promoted it. Groups rather than single
   * messages: their acknowledgements leave together, and wake a reporter's process once (docs/performance.md).
   */
  private deliverFrom(start: number): void {
    const inBudget = () => this.now() - start < this.turnBudgetMs;
    let handed = 0;
    // At least one message per turn, whatever the budget: the queue always moves.
    while (handed < this.groupSize && handed < this.waiting.length && (handed === 0 || inBudget())) {
      const { connection, deliver } = this.waiting[handed++]!;
      const left = this.held.get(connection)! - 1;
      if (left > 0) this.held.set(connection, left);
      else {
        this.held.delete(connection);
        connection.resume();
      }
      deliver();
    }
    this.waiting.splice(0, handed);
    if (this.waiting.length > 0 && inBudget()) process.nextTick(queueMicrotask, () => this.deliverFrom(start));
  }
}
