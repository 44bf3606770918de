/** Call it to unsubscribe; calling it again does nothing. */
export type Disposer = () => void;

/** A typed event emitter whose subscriptions return their own disposer. */
export interface EventHub<TEvents> {
  /** Subscribes; the returned function unsubscribes. */
  on<K extends keyof TEvents>(event: K, listener: (payload: TEvents[K]) => void): Disposer;
  /** Whether anyone listens, so callers build a payload only when it will be read. */
  has(event: keyof TEvents): boolean;
  emit<K extends keyof TEvents>(event: K, payload: TEvents[K]): void;
}

type ListenerMap<TEvents> = { [K in keyof TEvents]?: ReadonlyArray<(payload: TEvents[K]) => void> };

/**
 * Creates an event hub. Listener arrays are replaced, never mutated, so a
 * listener that unsubscribes during an emit does not disturb that emit. A
 * listener that throws is reported as a process warning: a buggy listener must
 * not fail the call that triggered it.
 */
export function createEventHub<TEvents>(): EventHub<TEvents> {
  const listeners: ListenerMap<TEvents> = {};
  return {
    on(event, listener) {
      listeners[event] = [...(listeners[event] ?? []), listener];
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        const remaining = (listeners[event] ?? []).filter((candidate) => candidate !== listener);
        if (remaining.length === 0) delete listeners[event];
        else listeners[event] = remaining;
      };
    },
    has(event) {
      return listeners[event] !== undefined;
    },
    emit(event, payload) {
      const current = listeners[event];
      if (current === undefined) return;
      for (const listener of current) {
        try {
          listener(payload);
        } catch (error) {
          process.emitWarning(`Breaker event listener for "${String(event)}" threw: ${String(error)}`, 'BreakerPanelWarning');
        }
      }
    },
  };
}
