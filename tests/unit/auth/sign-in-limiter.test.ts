import { describe, expect, it } from 'vitest';
import { createSignInLimiter } from '../../../server/auth/sign-in-limiter';

describe('sign-in limiter', () => {
  const setup = () => {
    let at = 1_000_000;
    const limiter = createSignInLimiter({ limits: { perAccount: 3, perAddress: 5, windowMs: 60_000 }, now: () => at });
    return { limiter, tick: (ms: number) => (at += ms) };
  };

  it('blocks an account after its limit until the window ends, from any address', () => {
    const { limiter, tick } = setup();
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.retryAfterSeconds('a@x', `10.0.0.${i}`)).toBe(0);
      limiter.recordFailure('a@x', `10.0.0.${i}`);
    }
    expect(limiter.retryAfterSeconds('a@x', '10.0.0.99')).toBe(60);
    expect(limiter.retryAfterSeconds('b@x', '10.0.0.99')).toBe(0);
    tick(30_000);
    expect(limiter.retryAfterSeconds('a@x', '10.0.0.99')).toBe(30);
    tick(30_000);
    expect(limiter.retryAfterSeconds('a@x', '10.0.0.99')).toBe(0);
  });

  it('blocks an address spraying many accounts', () => {
    const { limiter } = setup();
    for (let i = 0; i < 5; i += 1) limiter.recordFailure(`user${i}@x`, '192.0.2.1');
    expect(limiter.retryAfterSeconds('fresh@x', '192.0.2.1')).toBe(60);
    expect(limiter.retryAfterSeconds('fresh@x', '192.0.2.2')).toBe(0);
  });

  it('clears the account count on success, but not the address count', () => {
    const { limiter } = setup();
    for (let i = 0; i < 2; i += 1) limiter.recordFailure('a@x', '192.0.2.1');
    limiter.recordSuccess('a@x');
    limiter.recordFailure('a@x', '192.0.2.1');
    expect(limiter.retryAfterSeconds('a@x', '192.0.2.9')).toBe(0);
    for (let i = 0; i < 2; i += 1) limiter.recordFailure('b@x', '192.0.2.1');
    expect(limiter.retryAfterSeconds('c@x', '192.0.2.1')).toBe(60);
  });
});
