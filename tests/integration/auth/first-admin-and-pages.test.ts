import { afterEach, describe, expect, inject, it } from 'vitest';
import { PAGE_SESSION_HEADER, ZCurrentSession } from '../../../lib/auth/session';
import { loadConfig } from '../../../server/config';
import { createLogger } from '../../../server/logger';
import { startPanelServer, type RunningPanel, type WebApp } from '../../../server/panel-server';
import { ROOT_DIR } from '../../fixtures/panel';
import { signIn } from '../../fixtures/signed-in';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

// A stand-in for Next: answers with what the server handed it, so that the page side of the gate can be read.
const echoPages: WebApp = {
  handleRequest: async (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ csp: req.headers['content-security-policy'] ?? null, session: req.headers[PAGE_SESSION_HEADER] ?? null }));
  },
};

describe('first start and the page gate', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const start = async (database: TestDatabase, env: Record<string, string> = {}): Promise<RunningPanel> => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: database.url, ...env }, ROOT_DIR);
    const panel = await startPanelServer({ config, logger: createLogger('silent'), createWebApp: async () => echoPages });
    cleanup.push(() => panel.stop());
    return panel;
  };
  const freshDatabase = async () => {
    const database = await createEmptyDatabase(inject('postgresAdminUrl'));
    cleanup.push(() => database.drop());
    return database;
  };

  it('creates an admin with a random password on an empty database, once, and it signs in', async () => {
    const database = await freshDatabase();
    const first = await start(database);
    expect(first.access.firstAdmin).toMatchObject({ email: 'admin@localhost', generatedPassword: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
    const password = first.access.firstAdmin!.generatedPassword!;
    const stored = await database.query<{ password_hash: string; role: string }>('SELECT password_hash, role FROM users');
    expect(stored).toEqual([{ password_hash: expect.stringMatching(/^scrypt\$32768\$8\$1\$/), role: 'admin' }]);
    expect(stored[0]!.password_hash).not.toContain(password);
    expect((await signIn(first.url, 'admin@localhost', password)).session.user.role).toBe('admin');
    await first.stop();

    const second = await start(database, { ADMIN_EMAIL: 'other@example.test', ADMIN_PASSWORD: 'another long password' });
    expect(second.access.firstAdmin).toBeNull();
    expect(await database.query('SELECT email FROM users')).toEqual([{ email: 'admin@localhost' }]);
  });

  it('takes ADMIN_EMAIL / ADMIN_PASSWORD when given, and never prints them', async () => {
    const panel = await start(await freshDatabase(), { ADMIN_EMAIL: 'Ops@Example.test', ADMIN_PASSWORD: 'a long enough password' });
    expect(panel.access.firstAdmin).toEqual({ email: 'ops@example.test', generatedPassword: null });
    await signIn(panel.url, 'ops@example.test', 'a long enough password');
  });

  it('sends pages without a session to sign-in, and hands Next a nonce and the verified session', async () => {
    const panel = await start(await freshDatabase(), { ADMIN_EMAIL: 'admin@example.test', ADMIN_PASSWORD: 'correct horse battery staple' });
    const anonymous = await fetch(`${panel.url}/breakers/abc?range=1h`, { redirect: 'manual', headers: { [PAGE_SESSION_HEADER]: 'forged' } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/sign-in?next=%2Fbreakers%2Fabc%3Frange%3D1h');
    const signInPage = (await (await fetch(`${panel.url}/sign-in`, { headers: { [PAGE_SESSION_HEADER]: 'forged' } })).json()) as { session: string | null };
    expect(signInPage.session).toBeNull();

    const admin = await signIn(panel.url);
    const first = await fetch(`${panel.url}/`, { headers: { cookie: admin.cookie } });
    const second = await fetch(`${panel.url}/`, { headers: { cookie: admin.cookie } });
    const policy = first.headers.get('content-security-policy')!;
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'; /);
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(second.headers.get('content-security-policy')).not.toBe(policy);
    const seen = (await first.json()) as { csp: string; session: string };
    expect(seen.csp).toBe(policy);
    expect(ZCurrentSession.parse(JSON.parse(Buffer.from(seen.session, 'base64url').toString()))).toMatchObject({
      user: { email: 'admin@example.test', role: 'admin' },
      csrfToken: admin.session.csrfToken,
    });

    const back = await fetch(`${panel.url}/sign-in?next=/breakers`, { redirect: 'manual', headers: { cookie: admin.cookie } });
    expect(back.headers.get('location')).toBe('/breakers');
    const offsite = await fetch(`${panel.url}/sign-in?next=//evil.example`, { redirect: 'manual', headers: { cookie: admin.cookie } });
    expect(offsite.headers.get('location')).toBe('/');
    const forgedPost = await fetch(`${panel.url}/`, {
      method: 'POST',
      headers: { cookie: admin.cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(forgedPost.status).toBe(403);
  });
});
