import { io, type Socket } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TRole } from '../../../lib/auth/roles';
import { connectAgent } from '../../fixtures/agent-client';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn, signInAs, TEST_ADMIN, type SignedInClient } from '../../fixtures/signed-in';

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
const closedByServer = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));

describe('sessions, and the sockets that ride on them', () => {
  const setup = usePanelOnFreshDatabase();
  let admin: SignedInClient;

  beforeAll(async () => {
    admin = await signIn(setup.panel.url);
  });

  it('sets an httpOnly, SameSite=Lax cookie and refuses a wrong password without saying which part was wrong', async () => {
    const response = await fetch(`${setup.panel.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TEST_ADMIN) });
    expect(response.headers.get('set-cookie')).toMatch(/^bp_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
    const secure = await fetch(`${setup.panel.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TEST_ADMIN) });
    expect(secure.headers.get('set-cookie')).not.toContain('Secure');
    for (const body of [
      { ...TEST_ADMIN, password: 'nope' },
      { email: 'ghost@example.test', password: 'nope' },
    ]) {
      const refused = await fetch(`${setup.panel.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': body.email },
        body: JSON.stringify(body),
      });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ error: { code: 'invalid_credentials', message: 'Wrong e-mail or password' } });
    }
    expect(await setup.database.query('SELECT id FROM sessions WHERE id = $1', [admin.cookie])).toEqual([]);
  });

  it.each(['viewer', 'operator', 'admin'] as const)('admits a %s to /dashboard, with the user in socket data, and subscribes', async (role: TRole) => {
    const client = role === 'admin' ? admin : await signInAs(setup.panel.url, role, admin);
    const socket = client.connectDashboard({ reconnection: false });
    await connected(socket);
    const answer = (await socket.emitWithAck('live:subscribe', { scope: { kind: 'all' } })) as { ok: boolean };
    expect(answer.ok).toBe(true);
    const [server] = await setup.panel.io.of('/dashboard').fetchSockets();
    expect(server?.data).toMatchObject({ access: { user: { role, email: client.session.user.email } } });
    socket.close();
    await expect.poll(() => setup.panel.io.of('/dashboard').sockets.size).toBe(0);
  });

  it('refuses a dashboard socket without a session, with a forged one, or opened from another site', async () => {
    const attempts = [
      io(`${setup.panel.url}/dashboard`, { transports: ['websocket'], reconnection: false }),
      io(`${setup.panel.url}/dashboard`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: 'bp_session=forged-forged-forged-forged-forged' } }),
      io(`${setup.panel.url}/dashboard`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admin.cookie, origin: 'https://evil.example' } }),
    ];
    const errors = await Promise.all(
      attempts.map((socket) =>
        connected(socket).then(
          () => 'connected',
          (error: Error) => error.message,
        ),
      ),
    );
    expect(errors).toEqual(['unauthorized', 'unauthorized', 'forbidden']);
    for (const socket of attempts) socket.close();
  });

  it('signing out refuses the cookie at once and closes its sockets', async () => {
    const client = await signInAs(setup.panel.url, 'viewer', admin);
    const socket = client.connectDashboard({ reconnection: false });
    await connected(socket);
    const closed = closedByServer(socket);
    expect((await client.request('/api/v1/auth/sign-out', { method: 'POST' })).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect((await client.request('/api/v1/breakers')).status).toBe(401);
    const again = client.connectDashboard({ reconnection: false });
    await expect(connected(again)).rejects.toThrow('unauthorized');
    again.close();
  });

  it('disabling a user ends all their sessions at once, sockets included, and they can no longer sign in', async () => {
    const operator = await signInAs(setup.panel.url, 'operator', admin);
    const socket = operator.connectDashboard({ reconnection: false });
    await connected(socket);
    const closed = closedByServer(socket);
    expect((await admin.request(`/api/v1/users/${operator.userId}`, { method: 'PATCH', body: { disabled: true } })).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect((await operator.request('/api/v1/breakers')).status).toBe(401);
    await expect(signIn(setup.panel.url, operator.email, 'whatever')).rejects.toThrow(/401/);
  });

  it('a role change drops the sockets so that they come back with the new role, without signing out', async () => {
    const viewer = await signInAs(setup.panel.url, 'viewer', admin);
    const socket = viewer.connectDashboard({ reconnection: false });
    await connected(socket);
    const closed = closedByServer(socket);
    expect((await admin.request(`/api/v1/users/${viewer.userId}`, { method: 'PATCH', body: { role: 'operator' } })).status).toBe(200);
    await closed;
    expect(await viewer.getJson('/api/v1/auth/session')).toMatchObject({ user: { role: 'operator' } });
  });

  it('a key revoked in the admin API is refused at once, and its reporter socket is closed', async () => {
    const { id, key } = (await (await admin.request('/api/v1/api-keys', { method: 'POST', body: { service: 'checkout' } })).json()) as { id: string; key: string };
    const agent = await connectAgent(setup.panel.url, key);
    const closed = new Promise<void>((resolve) => agent.once('disconnect', () => resolve()));
    expect((await admin.request(`/api/v1/api-keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    await closed;
    await expect(connectAgent(setup.panel.url, key)).rejects.toThrow(/unknown or revoked/);
    const report = await fetch(`${setup.panel.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{}' });
    expect(report.status).toBe(401);
  });

  it('an expired session is refused, and the sweep closes its sockets', async () => {
    const viewer = await signInAs(setup.panel.url, 'viewer', admin);
    const socket = viewer.connectDashboard({ reconnection: false });
    await connected(socket);
    const closed = closedByServer(socket);
    await setup.database.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1", [viewer.userId]);
    expect((await viewer.request('/api/v1/breakers')).status).toBe(401);
    // Idle expiry: 12 hours without a request ends a session even before its absolute expiry.
    const idle = await signInAs(setup.panel.url, 'viewer', admin);
    await setup.database.query("UPDATE sessions SET last_seen_at = now() - interval '12 hours 1 minute' WHERE user_id = $1", [idle.userId]);
    expect((await idle.request('/api/v1/breakers')).status).toBe(401);
    await setup.panel.access.sweepSockets();
    expect(await closed).toBe('io server disconnect');
  });
});
