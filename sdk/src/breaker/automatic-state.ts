/**
 * The automatic state machine's states, as a discriminated union. Each state
 * carries only what it needs. The public state is this one unless an operator
 * override (FORCED_OPEN / FORCED_CLOSED) hides it; the override never stops
 * this machine, which is how a breaker says what it "would be".
 *
 * Transition table (public state; the automatic rows also run under an override):
 *
 * | from            | event                                                   | to            |
 * |-----------------|---------------------------------------------------------|---------------|
 * | CLOSED          | window ≥ minimumCalls and failure rate ≥ threshold      | OPEN          |
 * | CLOSED          | window ≥ minimumCalls and slow-call rate ≥ threshold    | OPEN          |
 * | OPEN            | open timeout elapsed (seen by the next call or read)    | HALF_OPEN     |
 * | HALF_OPEN       | halfOpenMaxCalls trials succeeded                       | CLOSED, fresh window, backoff reset |
 * | HALF_OPEN       | a trial failed, timed out or was slow                   | OPEN, next open timeout grows      |
 * | any             | forceOpen() / trip command                              | FORCED_OPEN   |
 * | any             | forceClosed() / force_closed command                    | FORCED_CLOSED |
 * | FORCED_*        | release() / release command / override expiry           | CLOSED, fresh window, backoff reset |
 * | any             | reset() / reset command                                 | CLOSED, fresh window, backoff reset, override cleared |
 */
export type AutomaticState =
  | { readonly kind: 'CLOSED' }
  | { readonly kind: 'OPEN'; readonly until: number; readonly consecutiveTrips: number }
  | {
      readonly kind: 'HALF_OPEN';
      /** Trial permits handed out; mutable because trials are counted in place on the hot path. */
      trialsStarted: number;
      trialsSucceeded: number;
      readonly consecutiveTrips: number;
    };

/** The single CLOSED value: CLOSED carries no data, so it needs no allocation. */
export const CLOSED_STATE: AutomaticState = Object.freeze({ kind: 'CLOSED' });

/** An operator (or host) override in force. */
export interface Override {
  readonly state: 'FORCED_OPEN' | 'FORCED_CLOSED';
  /** Epoch ms; null = until released. */
  readonly expiresAt: number | null;
  readonly commandId: string | null;
}

/** For exhaustive switches: fails to compile when a case is missing. */
export function assertNever(value: never): never {
  throw new TypeError(`Unexpected state: ${JSON.stringify(value)}`);
}
