/** A connection that can stop reading its input for a while: a ws WebSocket. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

export interface ReadGateOptions {
  /** How long one turn of the event loop may spend handling incoming messages; later ones wait for the next turn. */
  turnBudgetMs: number;
  now?: () => number;
}

/**
 * Backpressure for incoming messages. While sockets keep having data, libuv
 * reads them all in one turn of the event loop, and with many reporters a
 * little behind one turn took seconds: timers, dashboards, flushes and the
 * HTTP API waited. Here a turn handles messages for at most its budget; a
 * later message waits in a queue with its connection paused (TCP pushes back
 * on the reporter), and the queue is handled oldest first, a budget at a time,
 * after the following turns' timers. A connection keeps its order.
 * docs/performance.md ("The read gate") has the figures with and without it.
 */
export class ReadGate {
  private readonly waiting: Array<{ connection: Pausable; deliver: () => void }> = [];
  // Messages waiting per connection; a connection is paused while it has any.
  private readonly held = new Map<Pausable, number>();
  private turnStartedAt: number | null = null;
  private readonly now: () => number;
  private everHeld = 0;

  constructor(private readonly options: ReadGateOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Handles a message of `connection` now (`deliver`, and true), or queues it for a later turn (false). */
  admit(connection: Pausable, deliver: () => void): boolean {
    const at = this.now();
    if (this.turnStartedAt === null) this.startTurn(at);
    if (!this.held.has(connection) && at - this.turnStartedAt! < this.options.turnBudgetMs) {
      deliver();
      return true;
    }
    const count = this.held.get(connection) ?? 0;
    if (count === 0) connection.pause();
    this.held.set(connection, count + 1);
    this.waiting.push({ connection, deliver });
    this.everHeld += 1;
    return false;
  }

  /** Messages held for a later turn since the start (a Prometheus counter). */
  get heldTotal(): number {
    return this.everHeld;
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
    let handled = 0;
    // At least one message per turn, whatever the budget: the queue always moves.
    while (handled < this.waiting.length && (handled === 0 || this.now() - start < this.options.turnBudgetMs)) {
      const { connection, deliver } = this.waiting[handled++]!;
      const left = this.held.get(connection)! - 1;
      if (left > 0) this.held.set(connection, left);
      else {
        this.held.delete(connection);
        connection.resume();
      }
      deliver();
    }
    // At most a few messages per connection wait (each is paused at its first): this copy stays small.
    this.waiting.splice(0, handled);
  };
}
