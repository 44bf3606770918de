import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSharedSignInLimiter } from '../../../server/auth/shared-sign-in-limiter';
import type { SignInAdmission, SignInLimits } from '../../../server/auth/sign-in-limiter';
import { createLogger } from '../../../server/logger';
import { createMigratedDatabase, type TestDatabase } from '../../fixtures/test-database';

const WINDOW_MS = 15 * 60_000;

describe('sign-in limits shared through Postgres', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let at = 1_000_000_000;
  const limiters: Array<ReturnType<typeof createSharedSignInLimiter>> = [];

  beforeAll(async () => {
    database = await createMigratedDatabase(inject('postgresAdminUrl'));
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
  });
  afterAll(async () => {
    for (const limiter of limiters) limiter.close();
    await pool?.end();
    await database?.drop();
  });

  /** Two servers' limiters on one database and one clock. */
  const servers = (limits: Partial<SignInLimits> = {}) => {
    const make = () => createSharedSignInLimiter({ pool, limits: { perPair: 3, perAccount: 50, perAddress: 50, windowMs: WINDOW_MS, ...limits }, now: () => at, logger: createLogger('silent') });
    const pair = [make(), make()] as const;
    limiters.push(...pair);
    return pair;
  };
  const refusal = (admission: SignInAdmission) => (admission.kind === 'refused' ? admission.retryAfterSeconds : null);

  it('refuses a pair whose failures were spread over two servers, for a wait that doubles', async () => {
    const [one, two] = servers();
    for (const server of [one, two, one]) expect(refusal(await server.admit('a@x', '192.0.2.1'))).toBeNull();
    expect(refusal(await two.admit('a@x', '192.0.2.1'))).toBe(1);
    expect(refusal(await one.admit('a@x', '192.0.2.1'))).toBe(1);
    at += 1_000;
    expect(refusal(await one.admit('a@x', '192.0.2.1'))).toBeNull();
    expect(refusal(await two.admit('a@x', '192.0.2.1'))).toBe(2);
    // The owner on another address is never refused.
    expect(refusal(await two.admit('a@x', '198.51.100.7'))).toBeNull();
  });

  it('admits only as many parallel guesses as the limit, whichever server they reach', async () => {
    const [one, two] = servers();
    const admissions = await Promise.all(Array.from({ length: 12 }, (_, index) => (index % 2 ? one : two).admit('b@x', '192.0.2.2')));
    expect(admissions.filter((admission) => admission.kind === 'admitted')).toHaveLength(3);
  });

  it('clears a pair when the password was right, on every server', async () => {
    const [one, two] = servers();
    await one.admit('c@x', '192.0.2.3');
    await two.admit('c@x', '192.0.2.3');
    const right = await one.admit('c@x', '192.0.2.3');
    if (right.kind !== 'admitted') throw new Error('refused');
    await right.succeeded();
    for (let i = 0; i < 3; i += 1) expect(refusal(await two.admit('c@x', '192.0.2.3'))).toBeNull();
    expect(refusal(await one.admit('c@x', '192.0.2.3'))).toBe(1);
  });

  it('slows, never refuses, an account guessed from many addresses across servers', async () => {
    const [one, two] = servers({ perAccount: 4 });
    const delays: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const admission = await (i % 2 ? one : two).admit('d@x', `203.0.113.${i}`);
      if (admission.kind !== 'admitted') throw new Error('refused');
      delays.push(admission.delayMs);
    }
    expect(delays).toEqual([0, 0, 0, 0, 250, 500, 1_000]);
  });
});
