import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import type { TAuditEntry } from '../../../lib/control/audit.js';
import type { TNotificationDeliveryView } from '../../../lib/notify/deliveries.js';
import type { TCreatedEndpoint } from '../../../lib/notify/endpoints.js';
import { ZNotificationEvent, ZSlackBody, type TNotificationEvent } from '../../../lib/notify/notification-event.js';
import type { TSnoozeView } from '../../../lib/notify/snoozes.js';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { connectAgent, send, type AgentClient } from '../../fixtures/agent-client';
import { createManualClock } from '../../fixtures/manual-clock';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { instanceRun } from '../../fixtures/protocol-messages';
import { signIn, signInAs, type SignedInClient } from '../../fixtures/signed-in';
import { startWebhookReceiver, verifyWebhook } from './webhook-receiver';

const SERVICE = 'notify-checkout';
const BREAKERS = ['payments-api', 'flappy-cache', 'orders-db', 'snoozed-search'];
const POLL = { timeout: 15_000, interval: 50 };

describe('webhook notifications', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  // Registered before the panel's hooks, so the receiver closes only after the panel has stopped.
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  // The rules see time pass only when a test moves this clock: "open for over a second" or "trips within two
  // seconds" then mean what the test says, however long a busy machine takes between two reports.
  const rulesClock = createManualClock();
  const setup = usePanelOnFreshDatabase(
    {
      // Instances here only send transitions: keep them live for the whole file.
      REPORT_INTERVAL_MS: '60000',
      NOTIFY_EVALUATE_INTERVAL_MS: '100',
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_RETRY_MAX_MS: '400',
      NOTIFY_MAX_ATTEMPTS: '5',
    },
    { notifyRulesNow: rulesClock.now },
  );
  let admin: SignedInClient;
  let operator: SignedInClient & { email: string };
  let viewer: SignedInClient;
  let secret: string;
  const agents: Array<{ agent: AgentClient; run: ReturnType<typeof instanceRun> }> = [];

  /** Sends `from → to` of `breaker` on instance `index` as a reporter would, and waits until it is stored. */
  async function move(index: number, breaker: string, from: TBreakerState, to: TBreakerState): Promise<void> {
    const { agent, run } = agents[index]!;
    expect(await send(agent, 'transition:report', run.transition(breaker, from, to))).toMatchObject({ ok: true });
  }

  /** The verified JSON events the generic endpoint received, in order. */
  const events = (breaker?: string): TNotificationEvent[] =>
    receiver.received
      .filter((hook) => hook.path === '/hooks/json' && hook.answered < 300)
      .map((hook) => ZNotificationEvent.parse(JSON.parse(hook.body)))
      .filter((event) => !breaker || event.breaker.name === breaker);
  const typesOf = (breaker: string) => events(breaker).map((event) => (event.type === 'rule.flapping' ? `${event.type}:${event.status}` : event.type));
  const breakerId = async (name: string) => (await admin.getJson<TBreakerList>(`/api/v1/breakers?service=${SERVICE}`)).breakers.find((breaker) => breaker.name === name)!.id;
  const tripOf = (breaker: string) => (hook: { path: string; headers: Record<string, unknown>; body: string }) =>
    hook.path === '/hooks/json' && hook.headers['x-breaker-panel-event'] === 'breaker.tripped' && hook.body.includes(`"name":"${breaker}"`);
  const pendingDeliveries = async () => (await setup.database.query<{ n: number }>("SELECT count(*)::int AS n FROM notification_deliveries WHERE status = 'pending'"))[0]!.n;

  beforeAll(async () => {
    const key = (await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create(SERVICE)).key;
    admin = await signIn(setup.panel.url);
    operator = await signInAs(setup.panel.url, 'operator', admin);
    viewer = await signInAs(setup.panel.url, 'viewer', admin);
    for (const name of ['web-1', 'web-2']) {
      const run = instanceRun(SERVICE, name);
      const agent = await connectAgent(setup.panel.url, key);
      expect(await send(agent, 'instance:register', run.register(BREAKERS))).toMatchObject({ ok: true });
      agents.push({ agent, run });
    }
  });
  afterAll(async () => {
    for (const { agent } of agents) agent.close();
  });

  it('keeps the settings to admins (403 for a viewer and an operator) and shows rules and snoozes to everyone', async () => {
    const body = { name: 'nope', url: receiver.url('/hooks/nope'), events: ['breaker.tripped'] };
    for (const client of [viewer, operator]) {
      expect((await client.request('/api/v1/notifications/endpoints', { method: 'POST', body })).status).toBe(403);
      expect((await client.request('/api/v1/notifications/endpoints')).status).toBe(403);
      expect((await client.request('/api/v1/notifications/deliveries')).status).toBe(403);
      expect((await client.request('/api/v1/notifications/rules', { method: 'POST', body: { name: 'x', condition: { kind: 'open_too_long', openForSeconds: 60 } } })).status).toBe(403);
    }
    expect(
      (await viewer.request('/api/v1/notifications/snoozes', { method: 'POST', body: { target: { kind: 'breaker', breakerId: await breakerId('orders-db') }, durationSeconds: 60 } })).status,
    ).toBe(403);
    expect((await viewer.request('/api/v1/notifications/rules')).status).toBe(200);
    expect((await viewer.request('/api/v1/notifications/snoozes')).status).toBe(200);
    expect((await admin.request('/api/v1/notifications/endpoints', { method: 'POST', body: { ...body, url: 'ftp://127.0.0.1/x' } })).status).toBe(400);
    expect(await setup.database.query('SELECT count(*)::int AS n FROM notification_endpoints')).toEqual([{ n: 0 }]);
  });

  it('configures endpoints and rules as an admin, audited', async () => {
    const created = await admin.request('/api/v1/notifications/endpoints', {
      method: 'POST',
      body: {
        name: 'generic',
        url: receiver.url('/hooks/json'),
        format: 'json',
        services: [SERVICE],
        events: ['breaker.tripped', 'breaker.recovered', 'breaker.overridden', 'breaker.override_ended', 'rule.open_too_long', 'rule.instances_open', 'rule.flapping'],
      },
    });
    expect(created.status).toBe(201);
    ({ secret } = (await created.json()) as TCreatedEndpoint);
    expect(secret).toMatch(/^whsec_/);
    const slack = await admin.request('/api/v1/notifications/endpoints', {
      method: 'POST',
      body: { name: 'slack', url: receiver.url('/hooks/slack'), format: 'slack', events: ['breaker.overridden'], secret: 'slack-secret-0123456789' },
    });
    expect(slack.status).toBe(201);
    for (const rule of [
      { name: 'flapping', condition: { kind: 'flapping', trips: 3, windowSeconds: 2 }, services: [SERVICE] },
      { name: 'open over a second', condition: { kind: 'open_too_long', openForSeconds: 1 } },
      { name: 'most instances open', condition: { kind: 'instances_open', percent: 50 } },
    ]) {
      expect((await admin.request('/api/v1/notifications/rules', { method: 'POST', body: rule })).status).toBe(201);
    }
    const audit = await admin.getJson<{ entries: TAuditEntry[] }>('/api/v1/audit?limit=10');
    expect(audit.entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['notification.endpoint_created', 'notification.rule_created']));
    expect(JSON.stringify(audit.entries)).not.toContain(secret);
  });

  it('sends one signed "tripped" for a breaker opening on two instances, retrying after 500s with the same body', async () => {
    receiver.failNext(2, tripOf('payments-api'));
    await move(0, 'payments-api', 'CLOSED', 'OPEN');
    await move(1, 'payments-api', 'CLOSED', 'OPEN');
    await expect.poll(() => typesOf('payments-api'), POLL).toContain('breaker.tripped');

    const attempts = receiver.received.filter(tripOf('payments-api'));
    expect(attempts.map((hook) => hook.answered)).toEqual([500, 500, 204]);
    expect(new Set(attempts.map((hook) => hook.body)).size).toBe(1);
    expect(new Set(attempts.map((hook) => hook.headers['x-breaker-panel-delivery'])).size).toBe(1);
    for (const hook of attempts) expect(verifyWebhook(secret, hook.headers['x-breaker-panel-signature'] as string, hook.body)).toBe(true);
    expect(verifyWebhook('whsec_not_the_secret', attempts[0]!.headers['x-breaker-panel-signature'] as string, attempts[0]!.body)).toBe(false);

    const tripped = events('payments-api').find((event) => event.type === 'breaker.tripped')!;
    expect(tripped).toMatchObject({ service: SERVICE, state: 'OPEN', cause: 'failure_rate', failureRate: 60 });
    const log = await admin.getJson<{ deliveries: TNotificationDeliveryView[] }>('/api/v1/notifications/deliveries?limit=500');
    expect(log.deliveries.find((row) => row.eventId === tripped.id)).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 204,
      lastError: null,
      endpoint: 'generic',
      breaker: 'payments-api',
    });

    // Both instances open: the share rule fires once; open for over a second: the duration rule fires once.
    await expect.poll(() => typesOf('payments-api'), POLL).toContain('rule.instances_open');
    expect(typesOf('payments-api')).not.toContain('rule.open_too_long');
    rulesClock.advance(1_000);
    await expect.poll(() => typesOf('payments-api'), POLL).toContain('rule.open_too_long');
    await move(0, 'payments-api', 'OPEN', 'CLOSED');
    await move(1, 'payments-api', 'OPEN', 'CLOSED');
    await expect.poll(() => typesOf('payments-api'), POLL).toContain('breaker.recovered');
    expect(typesOf('payments-api').sort()).toEqual(['breaker.recovered', 'breaker.tripped', 'rule.instances_open', 'rule.open_too_long']);
  });

  it('gives up after the last attempt and logs why', async () => {
    receiver.failNext(5, tripOf('orders-db'));
    await move(0, 'orders-db', 'CLOSED', 'OPEN');
    await expect
      .poll(async () => (await admin.getJson<{ deliveries: TNotificationDeliveryView[] }>('/api/v1/notifications/deliveries?status=failed')).deliveries, POLL)
      .toEqual([expect.objectContaining({ breaker: 'orders-db', eventType: 'breaker.tripped', status: 'failed', attempts: 5, lastStatusCode: 500, lastError: 'HTTP 500', nextAttemptAt: null })]);
    await move(0, 'orders-db', 'OPEN', 'CLOSED');
    await expect.poll(() => typesOf('orders-db'), POLL).toContain('breaker.recovered');
  });

  it('summarises a flapping breaker into one notification, then reports when it settles', async () => {
    // Ten trips within the rule's two seconds (the rules' clock stands still while they arrive).
    for (let cycle = 0; cycle < 10; cycle++) {
      await move(0, 'flappy-cache', 'CLOSED', 'OPEN');
      await move(0, 'flappy-cache', 'OPEN', 'HALF_OPEN');
      await move(0, 'flappy-cache', 'HALF_OPEN', 'CLOSED');
    }
    const tally = () => {
      const counts: Record<string, number> = {};
      for (const type of typesOf('flappy-cache')) counts[type] = (counts[type] ?? 0) + 1;
      return counts;
    };
    // The first three trips are single events; the fourth, past the rule's three, starts the episode and
    // holds back every single event after it.
    await expect.poll(tally, POLL).toEqual({ 'breaker.tripped': 3, 'breaker.recovered': 3, 'rule.flapping:started': 1 });
    expect(events('flappy-cache').find((event) => event.type === 'rule.flapping')).toMatchObject({ status: 'started', trips: 4 });

    // Two seconds without a trip end the episode; it names every trip it held back.
    rulesClock.advance(2_000);
    await expect.poll(() => typesOf('flappy-cache'), POLL).toContain('rule.flapping:ended');
    await expect.poll(pendingDeliveries, POLL).toBe(0);
    expect(tally()).toEqual({ 'breaker.tripped': 3, 'breaker.recovered': 3, 'rule.flapping:started': 1, 'rule.flapping:ended': 1 });
    const ended = events('flappy-cache').find((event) => event.type === 'rule.flapping' && event.status === 'ended');
    expect(ended).toMatchObject({ trips: 10, state: 'CLOSED' });
  });

  it('stays silent for a snoozed breaker, shows the snooze to everyone, and speaks again once it is lifted', async () => {
    const id = await breakerId('snoozed-search');
    const created = await operator.request('/api/v1/notifications/snoozes', {
      method: 'POST',
      body: { target: { kind: 'breaker', breakerId: id }, durationSeconds: 600, reason: 'search reindex tonight' },
    });
    expect(created.status).toBe(201);
    const { snooze } = (await created.json()) as { snooze: TSnoozeView };
    const seen = await viewer.getJson<{ snoozes: TSnoozeView[] }>('/api/v1/notifications/snoozes');
    expect(seen.snoozes).toEqual([expect.objectContaining({ id: snooze.id, label: `${SERVICE} / snoozed-search`, by: operator.email, reason: 'search reindex tonight' })]);
    expect(seen.snoozes[0]!.until - Date.now()).toBeGreaterThan(590_000);

    const ordersTrips = () => typesOf('orders-db').filter((type) => type === 'breaker.tripped').length;
    const before = ordersTrips();
    await move(0, 'snoozed-search', 'CLOSED', 'OPEN');
    // Something after it that is not snoozed arrives, so the snoozed one had its chance.
    await move(1, 'orders-db', 'CLOSED', 'OPEN');
    await expect.poll(ordersTrips, POLL).toBe(before + 1);
    await expect.poll(pendingDeliveries, POLL).toBe(0);
    expect(typesOf('snoozed-search')).toEqual([]);
    expect(await setup.database.query('SELECT count(*)::int AS n FROM notification_deliveries WHERE breaker = $1', ['snoozed-search'])).toEqual([{ n: 0 }]);

    expect((await operator.request(`/api/v1/notifications/snoozes/${snooze.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await viewer.getJson<{ snoozes: TSnoozeView[] }>('/api/v1/notifications/snoozes')).snoozes).toEqual([]);
    await move(0, 'snoozed-search', 'OPEN', 'CLOSED');
    await expect.poll(() => typesOf('snoozed-search'), POLL).toEqual(['breaker.recovered']);
    const audit = await admin.getJson<{ entries: TAuditEntry[] }>('/api/v1/audit?limit=5');
    expect(audit.entries.slice(0, 2).map((entry) => [entry.action, entry.actor])).toEqual([
      ['notification.snooze_ended', operator.email],
      ['notification.snoozed', operator.email],
    ]);
  });

  it('sends a pending delivery left in the table by a server that stopped before sending it', async () => {
    const [endpoint] = await setup.database.query<{ id: string }>("SELECT id::text AS id FROM notification_endpoints WHERE name = 'generic'");
    const left: TNotificationEvent = {
      id: '00000000-0000-4000-8000-00000000000a',
      type: 'breaker.recovered',
      at: Date.now(),
      service: SERVICE,
      breaker: { id: '00000000-0000-4000-8000-00000000000b', name: 'left-behind' },
      state: 'CLOSED',
      instances: { total: 1, stale: 0, byState: { CLOSED: 1, OPEN: 0, HALF_OPEN: 0, FORCED_OPEN: 0, FORCED_CLOSED: 0 } },
      text: 'left behind',
      openForMs: 1_000,
    };
    const body = JSON.stringify(left);
    await setup.database.query(
      "INSERT INTO notification_deliveries (endpoint_id, event_id, event_type, service, breaker, body, next_attempt_at) VALUES ($1, gen_random_uuid(), 'breaker.recovered', $2, 'left-behind', $3, now())",
      [endpoint!.id, SERVICE, body],
    );
    await expect.poll(() => receiver.received.filter((hook) => hook.body === body).length, POLL).toBe(1);
    const hook = receiver.received.find((item) => item.body === body)!;
    expect(verifyWebhook(secret, hook.headers['x-breaker-panel-signature'] as string, hook.body)).toBe(true);
    await expect.poll(pendingDeliveries, POLL).toBe(0);
  });

  it('announces an operator override and its release, in both formats', async () => {
    const id = await breakerId('payments-api');
    const act = (action: string) => operator.request(`/api/v1/breakers/${id}/actions`, { method: 'POST', body: { action, scope: { all: true }, reason: 'payments provider outage INC-9' } });
    expect((await act('trip')).status).toBe(201);
    await expect.poll(() => typesOf('payments-api'), POLL).toContain('breaker.overridden');
    expect((await act('release')).status).toBe(201);
    await expect.poll(() => typesOf('payments-api'), POLL).toContain('breaker.override_ended');
    expect(events('payments-api').find((event) => event.type === 'breaker.overridden')).toMatchObject({
      override: { state: 'FORCED_OPEN', reason: 'payments provider outage INC-9', by: operator.email },
    });
    expect(events('payments-api').find((event) => event.type === 'breaker.override_ended')).toMatchObject({ how: 'released', previous: 'FORCED_OPEN' });

    const slack = receiver.received.filter((hook) => hook.path === '/hooks/slack');
    expect(slack).toHaveLength(1);
    expect(verifyWebhook('slack-secret-0123456789', slack[0]!.headers['x-breaker-panel-signature'] as string, slack[0]!.body)).toBe(true);
    expect(ZSlackBody.parse(JSON.parse(slack[0]!.body)).text).toContain('payments provider outage INC-9');
  });
});
