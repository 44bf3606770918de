import type { Socket } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn, signInAs, type SignedInClient } from '../../fixtures/signed-in';

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });

describe("passwords: changing one's own, and an admin's reset", () => {
  const setup = usePanelOnFreshDatabase({ SIGN_IN_MAX_FAILURES: '3' });
  let admin: SignedInClient;

  beforeAll(async () => {
    admin = await signIn(setup.panel.url);
  });

  const hashOf = async (userId: string) => (await setup.database.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [userId]))[0]!.password_hash;
  const change = (client: SignedInClient, body: unknown) => client.request('/api/v1/auth/password', { method: 'POST', body });

  it('lets a viewer replace the temporary password, ends their other sessions and audits it without the password', async () => {
    const viewer = await signInAs(setup.panel.url, 'viewer', admin);
    const elsewhere = await signIn(setup.panel.url, viewer.email, viewer.password);
    const socket = elsewhere.connectDashboard({ reconnection: false });
    await connected(socket);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const before = await hashOf(viewer.userId);
    const fresh = 'a new password for the viewer';

    // Refusals change nothing and name what is wrong.
    const wrong = await change(viewer, { currentPassword: 'not it', newPassword: fresh });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: { code: 'wrong_password', message: 'The current password is wrong' } });
    const short = await change(viewer, { currentPassword: viewer.password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(JSON.stringify(await short.json())).toContain('newPassword');
    const same = await change(viewer, { currentPassword: viewer.password, newPassword: viewer.password });
    expect(same.status).toBe(400);
    expect(JSON.stringify(await same.json())).toContain('must differ');
    const noToken = await viewer.request('/api/v1/auth/password', { method: 'POST', body: { currentPassword: viewer.password, newPassword: fresh }, headers: { 'x-csrf-token': '' } });
    expect(noToken.status).toBe(403);
    expect(await hashOf(viewer.userId)).toBe(before);

    expect((await change(viewer, { currentPassword: viewer.password, newPassword: fresh })).status).toBe(200);
    expect(await hashOf(viewer.userId)).not.toBe(before);
    // This session goes on; the other one ends at once, its socket too.
    expect((await viewer.request('/api/v1/auth/session')).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect((await elsewhere.request('/api/v1/breakers')).status).toBe(401);
    await expect(signIn(setup.panel.url, viewer.email, viewer.password)).rejects.toThrow(/401/);
    await signIn(setup.panel.url, viewer.email, fresh);

    const audit = await setup.database.query<{ action: string; actor_email: string; details: Record<string, unknown> }>(
      "SELECT action, actor_email, details FROM audit_events WHERE action = 'user.password_changed' AND target_id = $1",
      [viewer.userId],
    );
    expect(audit).toEqual([{ action: 'user.password_changed', actor_email: viewer.email, details: { email: viewer.email } }]);
  });

  it('counts wrong current passwords as failed sign-ins: after three, even the right one waits', async () => {
    const operator = await signInAs(setup.panel.url, 'operator', admin);
    const before = await hashOf(operator.userId);
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await change(operator, { currentPassword: `guess ${attempt}`, newPassword: 'a long enough new one' })).status).toBe(403);
    const limited = await change(operator, { currentPassword: operator.password, newPassword: 'a long enough new one' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await hashOf(operator.userId)).toBe(before);
  });

  it('lets an admin reset a lost password: a new temporary one, shown once, every session of the user ended, audited', async () => {
    const operator = await signInAs(setup.panel.url, 'operator', admin);
    const socket = operator.connectDashboard({ reconnection: false });
    await connected(socket);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    // Only admins, never on oneself, never on a user who does not exist.
    expect((await operator.request(`/api/v1/users/${admin.session.user.id}/password-reset`, { method: 'POST' })).status).toBe(403);
    const self = await admin.request(`/api/v1/users/${admin.session.user.id}/password-reset`, { method: 'POST' });
    expect(self.status).toBe(409);
    expect(await self.json()).toEqual({ error: { code: 'self', message: 'Change your own password on your account page' } });
    expect((await admin.request('/api/v1/users/00000000-0000-0000-0000-000000000000/password-reset', { method: 'POST' })).status).toBe(404);

    const reset = await admin.request(`/api/v1/users/${operator.userId}/password-reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const { user, temporaryPassword } = (await reset.json()) as { user: { email: string }; temporaryPassword: string };
    expect(user.email).toBe(operator.email);
    expect(temporaryPassword).not.toBe(operator.password);
    expect(await closed).toBe('io server disconnect');
    expect((await operator.request('/api/v1/breakers')).status).toBe(401);
    await expect(signIn(setup.panel.url, operator.email, operator.password)).rejects.toThrow(/401/);
    await signIn(setup.panel.url, operator.email, temporaryPassword);
    const audit = await setup.database.query<{ actor_email: string; details: Record<string, unknown> }>(
      "SELECT actor_email, details FROM audit_events WHERE action = 'user.password_reset' AND target_id = $1",
      [operator.userId],
    );
    expect(audit).toEqual([{ actor_email: admin.session.user.email, details: { email: operator.email } }]);
  });
});
