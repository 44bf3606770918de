import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TCreatedApiKey } from '../../../lib/auth/api-keys.js';
import type { TInvitedUser } from '../../../lib/auth/users.js';
import type { TAuditEntry } from '../../../lib/control/audit.js';
import type { RunningPanel } from '../../../server/panel-server';
import { startTestPanel } from '../../fixtures/panel';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

describe('audit target names', () => {
  let database: TestDatabase;
  let panel: RunningPanel;
  let admin: SignedInClient;
  const entries = async () => (await admin.getJson<{ entries: TAuditEntry[] }>('/api/v1/audit?limit=50')).entries;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    panel = await startTestPanel({ DATABASE_URL: database.url });
    admin = await signIn(panel.url);
  });
  afterAll(async () => {
    await panel?.stop();
    await database?.drop();
  });

  it('names an invited user by e-mail and a key by its service and prefix, and leaves the stored rows as they were', async () => {
    const invited = await admin.request('/api/v1/users', { method: 'POST', body: { email: 'casey@example.test', role: 'viewer' } });
    expect(invited.status).toBe(201);
    const { user } = (await invited.json()) as TInvitedUser;
    const created = await admin.request('/api/v1/api-keys', { method: 'POST', body: { service: 'checkout' } });
    expect(created.status).toBe(201);
    const key = (await created.json()) as TCreatedApiKey;

    const list = await entries();
    expect(list.find((entry) => entry.targetId === user.id)).toMatchObject({ targetType: 'user', targetId: user.id, targetName: 'casey@example.test' });
    expect(list.find((entry) => entry.targetId === key.id)).toMatchObject({ targetType: 'api_key', targetId: key.id, targetName: `checkout (key ${key.prefix}…)` });

    // The name is resolved when read: the rows keep the id they were written with.
    const stored = await database.query<{ action: string; target_id: string }>('SELECT action, target_id FROM audit_events WHERE target_id IN ($1, $2) ORDER BY id', [user.id, key.id]);
    expect(stored).toEqual([
      { action: 'user.invited', target_id: user.id },
      { action: 'api_key.created', target_id: key.id },
    ]);
  });

  it('names a target that is gone from the facts kept in its entry, and a malformed id does not break the listing', async () => {
    const insert = (targetType: string, targetId: string | null, details: object) =>
      database.query("INSERT INTO audit_events (action, actor_email, target_type, target_id, details) VALUES ('test.recorded', 'cli:test', $1, $2, $3)", [
        targetType,
        targetId,
        JSON.stringify(details),
      ]);
    await insert('user', 'not-a-uuid', { email: 'gone@example.test' });
    await insert('api_key', randomUUID(), { service: 'billing', prefix: 'bp_gone' });
    await insert('breaker', randomUUID(), { service: 'billing', breaker: 'ledger-db' });
    await insert('notification_rule', null, {});

    const recorded = (await entries()).filter((entry) => entry.action === 'test.recorded');
    expect(recorded.map((entry) => [entry.targetType, entry.targetName])).toEqual([
      ['notification_rule', null],
      ['breaker', 'billing/ledger-db'],
      ['api_key', 'billing (key bp_gone…)'],
      ['user', 'gone@example.test'],
    ]);
  });
});
