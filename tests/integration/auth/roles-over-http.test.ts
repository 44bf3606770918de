import { beforeAll, describe, expect, it } from 'vitest';
import type { TRole } from '../../../lib/auth/roles';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn, signInAs, type SignedInClient } from '../../fixtures/signed-in';

/** Every admin action, tried by every role: allowed ones work, forbidden ones answer 403 and change nothing. */
describe('roles over HTTP', () => {
  const setup = usePanelOnFreshDatabase();
  const as = {} as Record<TRole, SignedInClient & { userId?: string }>;

  beforeAll(async () => {
    as.admin = await signIn(setup.panel.url);
    as.operator = await signInAs(setup.panel.url, 'operator', as.admin);
    as.viewer = await signInAs(setup.panel.url, 'viewer', as.admin);
  });

  const counts = async () =>
    (
      await setup.database.query<{ users: number; keys: number; revoked: number; operators: number; disabled: number; audit: number }>(
        `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM api_keys) AS keys,
                (SELECT count(*)::int FROM api_keys WHERE revoked_at IS NOT NULL) AS revoked,
                (SELECT count(*)::int FROM users WHERE role = 'operator') AS operators,
                (SELECT count(*)::int FROM users WHERE disabled_at IS NOT NULL) AS disabled,
                (SELECT count(*)::int FROM audit_events) AS audit`,
      )
    )[0]!;

  it('lets every role read the breakers, and nobody without a session', async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) expect((await as[role].request('/api/v1/breakers')).status).toBe(200);
    expect((await fetch(`${setup.panel.url}/api/v1/breakers`)).status).toBe(401);
    expect((await fetch(`${setup.panel.url}/api/health`)).status).toBe(200);
  });

  it.each(['viewer', 'operator'] as const)('refuses every admin action to a %s with 403 and changes nothing', async (role) => {
    const before = await counts();
    const made = (await (await as.admin.request('/api/v1/api-keys', { method: 'POST', body: { service: 'checkout' } })).json()) as { id: string };
    const baseline = await counts();
    expect(baseline.keys).toBe(before.keys + 1);

    const client = as[role];
    const attempts = [
      client.request('/api/v1/users'),
      client.request('/api/v1/users', { method: 'POST', body: { email: `intruder-${role}@example.test`, role: 'admin' } }),
      client.request(`/api/v1/users/${client.session.user.id}`, { method: 'PATCH', body: { role: 'admin' } }),
      client.request(`/api/v1/users/${as.admin.session.user.id}`, { method: 'PATCH', body: { disabled: true } }),
      client.request('/api/v1/api-keys'),
      client.request('/api/v1/api-keys', { method: 'POST', body: { service: 'checkout' } }),
      client.request(`/api/v1/api-keys/${made.id}`, { method: 'DELETE' }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(await counts()).toEqual(baseline);
    expect((await client.request('/api/v1/auth/session').then((r) => r.json())) as unknown).toMatchObject({ user: { role } });
  });

  it('lets an admin invite, change a role, disable, create and revoke keys, each audited', async () => {
    const before = await counts();
    const invited = await as.admin.request('/api/v1/users', { method: 'POST', body: { email: 'new.person@example.test', role: 'viewer', name: 'New Person' } });
    expect(invited.status).toBe(201);
    const { user, temporaryPassword } = (await invited.json()) as { user: { id: string }; temporaryPassword: string };
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(20);
    expect((await as.admin.request('/api/v1/users', { method: 'POST', body: { email: 'new.person@example.test', role: 'viewer' } })).status).toBe(409);

    const promoted = await as.admin.request(`/api/v1/users/${user.id}`, { method: 'PATCH', body: { role: 'operator' } });
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ user: { role: 'operator' } });
    expect((await as.admin.request(`/api/v1/users/${user.id}`, { method: 'PATCH', body: { disabled: true } })).status).toBe(200);

    const created = await as.admin.request('/api/v1/api-keys', { method: 'POST', body: { service: 'payments', description: 'ci' } });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string; prefix: string };
    expect(key.key).toMatch(/^bp_[A-Za-z0-9_-]{43}$/);
    const listed = (await (await as.admin.request('/api/v1/api-keys')).json()) as { keys: Array<Record<string, unknown>> };
    const row = listed.keys.find((item) => item.id === key.id);
    expect(row).toMatchObject({ prefix: key.prefix, serviceName: 'payments', description: 'ci', lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(key.key);
    expect((await as.admin.request(`/api/v1/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await as.admin.request(`/api/v1/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(404);

    const after = await counts();
    expect(after).toMatchObject({ users: before.users + 1, keys: before.keys + 1, revoked: before.revoked + 1, disabled: before.disabled + 1, audit: before.audit + 5 });
    const audit = await setup.database.query<{ action: string; actor_email: string; target_id: string; ip_address: string | null }>(
      'SELECT action, actor_email, target_id, ip_address FROM audit_events ORDER BY id DESC LIMIT 5',
    );
    expect(audit.map((entry) => entry.action).reverse()).toEqual(['user.invited', 'user.role_changed', 'user.disabled', 'api_key.created', 'api_key.revoked']);
    expect(audit.every((entry) => entry.actor_email === 'admin@example.test' && entry.ip_address)).toBe(true);
  });

  it('never lets the last admin be demoted or disabled, nor an admin disable themselves', async () => {
    const self = as.admin.session.user.id;
    expect((await as.admin.request(`/api/v1/users/${self}`, { method: 'PATCH', body: { role: 'viewer' } })).status).toBe(409);
    expect((await as.admin.request(`/api/v1/users/${self}`, { method: 'PATCH', body: { disabled: true } })).status).toBe(409);
    expect((await as.admin.request('/api/v1/auth/session').then((r) => r.json())) as unknown).toMatchObject({ user: { role: 'admin' } });
  });

  it('names the offending field of a bad body', async () => {
    const response = await as.admin.request('/api/v1/users', { method: 'POST', body: { email: 'not-an-email', role: 'root' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/email|role/);
  });
});
