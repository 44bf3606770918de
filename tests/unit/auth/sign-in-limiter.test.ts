import { describe, expect, it } from 'vitest';
import { createSignInLimiter, type SignInAdmission, type SignInLimits } from '../../../server/auth/sign-in-limiter';

const WINDOW_MS = 15 * 60_000;

describe('sign-in limiter', () => {
  const setup = (limits: Partial<SignInLimits> = {}) => {
    let at = 1_000_000;
    const limiter = createSignInLimiter({ limits: { perPair: 3, perAccount: 50, perAddress: 50, windowMs: WINDOW_MS, ...limits }, now: () => at });
    /** An attempt that must be admitted, left to count as a failure (a wrong password). */
    const fail = (email: string, address: string) => admitted(limiter.admit(email, address));
    return { limiter, fail, tick: (ms: number) => (at += ms) };
  };
  const admitted = (admission: SignInAdmission) => {
    if (admission.kind !== 'admitted') throw new Error(`refused for ${admission.retryAfterSeconds} s`);
    return admission;
  };
  const refusal = (admission: SignInAdmission) => (admission.kind === 'refused' ? admission.retryAfterSeconds : null);

  it('refuses a pair past its failures for a wait that doubles with each further failure, up to the window', () => {
    const { limiter, fail, tick } = setup();
    for (let i = 0; i < 3; i += 1) expect(fail('a@x', '192.0.2.1').delayMs).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 14; i += 1) {
      const wait = refusal(limiter.admit('a@x', '192.0.2.1'))!;
      waits.push(wait);
      // Refused until the wait is over, admitted once right after it.
      tick(wait * 1000 - 1);
      expect(refusal(limiter.admit('a@x', '192.0.2.1'))).toBe(1);
      tick(1);
      fail('a@x', '192.0.2.1');
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
  });

  it('never refuses the owner on another address however long one address guesses', () => {
    const { limiter, fail, tick } = setup({ perAccount: 5 });
    fail('admin@x', '198.51.100.7');
    for (let i = 0; i < 200; i += 1) {
      const attacker = limiter.admit('admin@x', '198.51.100.7');
      tick(attacker.kind === 'refused' ? attacker.retryAfterSeconds * 1000 : 1);
    }
    expect(refusal(limiter.admit('admin@x', '198.51.100.7'))).toBe(900);
    const owner = admitted(limiter.admit('admin@x', '203.0.113.5'));
    expect(owner.delayMs).toBeLessThanOrEqual(5_000);
    owner.succeeded();
    // The guesser's pair stays refused after the owner signed in.
    expect(refusal(limiter.admit('admin@x', '198.51.100.7'))).toBeGreaterThan(0);
  });

  it('never refuses the owner when many addresses guess at once: slowed by at most five seconds', () => {
    const { limiter, fail } = setup({ perAccount: 5 });
    for (let address = 0; address < 30; address += 1) for (let i = 0; i < 3; i += 1) fail('admin@x', `198.51.100.${address}`);
    expect(refusal(limiter.admit('admin@x', '198.51.100.0'))).toBe(1);
    expect(admitted(limiter.admit('admin@x', '203.0.113.5')).delayMs).toBe(5_000);
  });

  it('slows every attempt on an account guessed from many addresses, more with each failure, never refusing', () => {
    const { limiter, fail } = setup({ perAccount: 4 });
    const delays: number[] = [];
    for (let i = 0; i < 12; i += 1) delays.push(fail('a@x', `10.0.${i}.1`).delayMs);
    expect(delays).toEqual([0, 0, 0, 0, 250, 500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
    // Other accounts are untouched.
    expect(admitted(limiter.admit('b@x', '10.0.0.1')).delayMs).toBe(0);
  });

  it('slows, and does not refuse, an address spraying many accounts; other addresses are untouched', () => {
    const { limiter, fail } = setup({ perAddress: 5 });
    for (let i = 0; i < 5; i += 1) fail(`user${i}@x`, '192.0.2.7');
    expect(admitted(limiter.admit('fresh@x', '192.0.2.7')).delayMs).toBe(250);
    expect(admitted(limiter.admit('other@x', '192.0.2.7')).delayMs).toBe(500);
    expect(admitted(limiter.admit('fresh@x', '192.0.2.8')).delayMs).toBe(0);
  });

  it('counts an admitted attempt at once, so parallel guesses cannot pass the pair limit', () => {
    const { limiter } = setup();
    const inFlight = [limiter.admit('a@x', '192.0.2.1'), limiter.admit('a@x', '192.0.2.1'), limiter.admit('a@x', '192.0.2.1'), limiter.admit('a@x', '192.0.2.1')];
    expect(inFlight.map((admission) => admission.kind)).toEqual(['admitted', 'admitted', 'admitted', 'refused']);
  });

  it('a success clears its pair and takes back only its own attempt from the account and address counts', () => {
    const { limiter, fail } = setup({ perAccount: 3, perAddress: 3 });
    fail('a@x', '192.0.2.1');
    fail('a@x', '192.0.2.1');
    admitted(limiter.admit('a@x', '192.0.2.1')).succeeded();
    // The pair starts again: three more attempts before a wait.
    for (let i = 0; i < 3; i += 1) admitted(limiter.admit('a@x', '192.0.2.1')).succeeded();
    expect(admitted(limiter.admit('a@x', '192.0.2.1')).delayMs).toBe(0);
    // The two failures and the last admitted attempt still count: the account and the address are at their limit.
    expect(admitted(limiter.admit('a@x', '192.0.2.99')).delayMs).toBe(250);
    expect(admitted(limiter.admit('b@x', '192.0.2.1')).delayMs).toBe(250);
  });

  it("forgets slowing after the window, a pair's failures only a day after its last one", () => {
    const { limiter, fail, tick } = setup({ perAccount: 2 });
    for (let i = 0; i < 3; i += 1) fail('a@x', '192.0.2.1');
    // The third attempt was slowed by a quarter second: the pair's wait of a second runs from its check.
    expect(refusal(limiter.admit('a@x', '192.0.2.1'))).toBe(2);
    tick(1_249);
    expect(refusal(limiter.admit('a@x', '192.0.2.1'))).toBe(1);
    expect(admitted(limiter.admit('a@x', '192.0.2.2')).delayMs).toBe(500);
    tick(WINDOW_MS);
    expect(admitted(limiter.admit('a@x', '192.0.2.3')).delayMs).toBe(0);
    // Waiting out one wait admits one attempt, not a fresh allowance.
    fail('a@x', '192.0.2.1');
    expect(refusal(limiter.admit('a@x', '192.0.2.1'))).toBe(2);
    tick(24 * 3_600_000);
    for (let i = 0; i < 3; i += 1) fail('a@x', '192.0.2.1');
  });

  it('keeps answering under a spray of random accounts and addresses', () => {
    const { limiter, fail } = setup();
    for (let i = 0; i < 25_000; i += 1) fail(`user${i}@x`, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    for (let i = 0; i < 3; i += 1) fail('a@x', '192.0.2.1');
    expect(refusal(limiter.admit('a@x', '192.0.2.1'))).toBe(1);
  });
});
