import { beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../fixtures/manual-clock';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn, signInAs, TEST_ADMIN, type SignedInClient } from '../../fixtures/signed-in';

describe('hardening: CSRF, sign-in rate limit, redirects, headers', () => {
  // The sign-in limits run on a clock only this file moves: a wait is over when the test says so, and a
  // slowed attempt is held on it (recorded in `holds`) rather than for real seconds.
  const clock = createManualClock();
  const setup = usePanelOnFreshDatabase(
    { SIGN_IN_MAX_FAILURES: '3', SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '4', SIGN_IN_MAX_FAILURES_PER_ADDRESS: '8', TRUST_PROXY: 'true' },
    { signInClock: clock.signIn },
  );
  let admin: SignedInClient;

  beforeAll(async () => {
    admin = await signIn(setup.panel.url);
  });

  const userCount = async () => (await setup.database.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n;

  it('refuses a cross-site form post that carries the session cookie, and changes nothing', async () => {
    const before = await userCount();
    const forged = await fetch(`${setup.panel.url}/api/v1/users`, {
      method: 'POST',
      headers: { cookie: admin.cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=evil%40example.test&role=admin',
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'csrf' } });
    expect(await userCount()).toBe(before);
  });

  it('refuses a change without the session CSRF token, with a wrong one, or from another origin even with the token', async () => {
    const before = await userCount();
    const body = { email: 'csrf@example.test', role: 'viewer' };
    const answers = await Promise.all([
      admin.request('/api/v1/users', { method: 'POST', body, headers: { 'x-csrf-token': '' } }),
      admin.request('/api/v1/users', { method: 'POST', body, headers: { 'x-csrf-token': 'x'.repeat(43) } }),
      admin.request('/api/v1/users', { method: 'POST', body, headers: { origin: 'https://evil.example' } }),
      admin.request('/api/v1/users', { method: 'POST', body, headers: { 'sec-fetch-site': 'same-site' } }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
    expect(await userCount()).toBe(before);
    const own = await admin.request('/api/v1/users', { method: 'POST', body, headers: { origin: setup.panel.url.replace('localhost', '127.0.0.1'), 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(201);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const response = await fetch(`${setup.panel.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify(TEST_ADMIN),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  const signInFrom = (address: string, body: { email: string; password: string }) =>
    fetch(`${setup.panel.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) });
  const sessionCount = async (userId: string) => (await setup.database.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [userId]))[0]!.n;

  it("refuses a guesser's address on an account after 3 failures, again after every wait, without checking the password", async () => {
    const victim = await signInAs(setup.panel.url, 'operator', admin);
    const guess = (password: string) => signInFrom('10.0.0.9', { email: victim.email, password });
    for (let i = 0; i < 3; i += 1) expect((await guess(`guess-${i}`)).status).toBe(401);
    const limited = await guess('guess-3');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ error: { code: 'too_many_attempts', message: 'Too many failed sign-ins. Try again in 1 second.' } });
    // Refused until the wait it names is over, to the millisecond; then one more guess is checked, and the next
    // is refused again for twice as long.
    for (let round = 0; round < 2; round += 1) {
      const refused = await guess('guess-again');
      expect(refused.status).toBe(429);
      const waitMs = Number(refused.headers.get('retry-after')) * 1000;
      expect(waitMs).toBe(1_000 * 2 ** round);
      clock.advance(waitMs - 1);
      expect((await guess('one-moment-early')).status).toBe(429);
      clock.advance(1);
      expect((await guess(`guess-after-wait-${round}`)).status).toBe(401);
    }
    // Even the right password is not checked from the refused address, so it tells the guesser nothing.
    const before = await sessionCount(victim.userId);
    expect((await guess(victim.password)).status).toBe(429);
    expect(await sessionCount(victim.userId)).toBe(before);
  });

  it('lets the owner sign in from another address while many addresses guess the account: slowed, never refused', async () => {
    const victim = await signInAs(setup.panel.url, 'operator', admin);
    for (let address = 0; address < 5; address += 1) {
      for (let i = 0; i < 3; i += 1) expect((await signInFrom(`10.1.0.${address}`, { email: victim.email, password: `guess-${i}` })).status).toBe(401);
      expect((await signInFrom(`10.1.0.${address}`, { email: victim.email, password: 'guess-3' })).status).toBe(429);
    }
    const holdsBefore = clock.holds.length;
    const owner = await signInFrom('10.1.1.1', { email: victim.email, password: victim.password });
    expect(owner.status).toBe(200);
    expect(owner.headers.get('set-cookie')).toMatch(/^bp_session=/);
    // The owner's attempt was held before its password was checked: slowed, not refused.
    expect(clock.holds.slice(holdsBefore)).toEqual([expect.any(Number)]);
    expect(clock.holds.at(-1)).toBeGreaterThan(0);
  });

  it('slows, and never refuses, one address spraying many accounts; the right password from it still signs in', async () => {
    const holdsBefore = clock.holds.length;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await signInFrom('192.0.2.7', { email: `user${i}@example.test`, password: 'Winter2026!' })).status);
    expect(statuses).toEqual(Array(10).fill(401));
    // The two attempts past the address's 8 failures were held, the second twice as long.
    const [first, second] = clock.holds.slice(holdsBefore);
    expect(clock.holds.slice(holdsBefore)).toEqual([first, first! * 2]);
    expect(first).toBeGreaterThan(0);
    // Someone else behind the same address (a shared office or proxy address) is not locked out, only slowed.
    expect((await signInFrom('192.0.2.7', TEST_ADMIN)).status).toBe(200);
    expect(clock.holds.slice(holdsBefore + 2)).toEqual([second! * 2]);
    expect((await signInFrom('192.0.2.8', TEST_ADMIN)).status).toBe(200);
    expect(clock.holds).toHaveLength(holdsBefore + 3);
  });

  // The sign-in page sends a signed-in user on only to paths on the panel; the queries are raw, as a browser sends them.
  const locationFor = async (query: string) => {
    const response = await fetch(`${setup.panel.url}/sign-in?${query}`, { redirect: 'manual', headers: { cookie: admin.cookie } });
    return { status: response.status, location: response.headers.get('location') };
  };

  it.each([
    'next=%2F%09%2Fevil.example',
    'next=%2F%0A%2Fevil.example',
    'next=%2F%0D%0ASet-Cookie%3A%20x%3D1',
    'next=%2F%5Cevil.example',
    'next=%2F%2Fevil.example',
    'next=%2F.%2F%2Fevil.example',
    'next=https%3A%2F%2Fevil.example',
    'next=javascript%3Aalert(1)',
    'next=%252F%252Fevil.example',
  ])('signed in, /sign-in?%s answers 303 to / (never a 500, never another host)', async (query) => {
    expect(await locationFor(query)).toEqual({ status: 303, location: '/' });
  });

  it('follows a path on the panel, normalised', async () => {
    expect(await locationFor('next=%2Fbreakers%2Fabc%3Frange%3D1h')).toEqual({ status: 303, location: '/breakers/abc?range=1h' });
    expect(await locationFor('next=%2Fhistory%2F%C3%A9')).toEqual({ status: 303, location: '/history/%C3%A9' });
    // Characters a header cannot carry raw arrive percent-encoded, not as a 500.
    expect(await locationFor('next=%2Fbreakers%2F%E2%80%A8')).toEqual({ status: 303, location: '/breakers/%E2%80%A8' });
  });

  it('sets security headers on every answer and never shows a stack trace', async () => {
    for (const response of [await fetch(`${setup.panel.url}/api/health`), await fetch(`${setup.panel.url}/api/v1/breakers`), await admin.request('/api/v1/nope')]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await response.text()).not.toMatch(/\bat .+\.ts:\d+/);
    }
    const bad = await admin.request('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: undefined });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'invalid_json', message: 'The body is not valid JSON' } });
  });
});
