import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The time the sign-in limits run on: when an attempt is made, and how an attempt the limiter slows is held.
 * The server runs on the system clock; a test passes one it moves itself, so that waits and windows do not
 * depend on how fast a busy machine answers.
 */
export interface SignInClock {
  now(): number;
  /** Holds a slowed attempt this long before its password is checked. */
  hold(ms: number): Promise<void>;
}

export const systemSignInClock: SignInClock = { now: () => Date.now(), hold: (ms) => sleep(ms) };
