import { createCircuitBreaker, type CircuitBreakerOptions, type StateChangeEvent } from '../../../sdk/src/index.js';

/** A clock the test moves by hand. */
export function createManualClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A breaker on a manual clock, with every state change captured. */
export function createTestBreaker<TFallback = never>(options: Partial<CircuitBreakerOptions<TFallback>> = {}) {
  const clock = createManualClock();
  const breaker = createCircuitBreaker<TFallback>({ name: 'payments', clock, ...options });
  const changes: StateChangeEvent[] = [];
  breaker.on('stateChange', (event) => changes.push(event));
  return { breaker, clock, changes };
}

export const succeed = async (): Promise<string> => 'ok';
export const fail = async (): Promise<never> => {
  throw new Error('boom');
};

/** A call that takes `ms` on the manual clock. */
export function takes(clock: { advance(ms: number): void }, ms: number, outcome: 'ok' | 'error' = 'ok') {
  return async (): Promise<string> => {
    clock.advance(ms);
    if (outcome === 'error') throw new Error('slow boom');
    return 'ok';
  };
}

/** A call the test settles by hand. */
export function deferred<T = string>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A call the breaker rejected is never made, so nobody else observes this promise.
  promise.catch(() => undefined);
  return { promise, resolve, reject, call: () => promise };
}

/** Runs `count` calls one after another, swallowing their errors. */
export async function run(breaker: { execute(fn: () => Promise<unknown>): Promise<unknown> }, fn: () => Promise<unknown>, count = 1) {
  for (let i = 0; i < count; i++) await breaker.execute(fn).catch(() => undefined);
}
