import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import type { TAuditEntry } from '../../../lib/control/audit.js';
import type { TActionResult, TDelivery, TOverrideView } from '../../../lib/control/operator-action.js';
import type { TCommand } from '../../../lib/protocol/command.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { connectAgent, send, type AgentClient } from '../../fixtures/agent-client';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { instanceRun } from '../../fixtures/protocol-messages';
import { signIn, signInAs, type SignedInClient } from '../../fixtures/signed-in';

interface Instance {
  agent: AgentClient;
  run: ReturnType<typeof instanceRun>;
  commands: TCommand[];
}

describe('operator actions', () => {
  const setup = usePanelOnFreshDatabase({ REPORT_INTERVAL_MS: '200' });
  let key: string;
  let admin: SignedInClient;
  let operator: SignedInClient;
  let viewer: SignedInClient;
  const instances: Instance[] = [];

  /** A reporting instance that applies every command it receives and acknowledges it, as the SDK does. */
  async function startInstance(name: string, labels: Record<string, string>): Promise<Instance> {
    const run = instanceRun('checkout', name);
    const agent = await connectAgent(setup.panel.url, key);
    const instance: Instance = { agent, run, commands: [] };
    agent.on('command:apply', (command) => {
      instance.commands.push(command);
      const state = command.action === 'trip' ? 'FORCED_OPEN' : command.action === 'force_closed' ? 'FORCED_CLOSED' : 'CLOSED';
      // An instance the test disconnects may not hear back about its last acknowledgement.
      send(agent, 'command:ack', { ...run.ref, commandId: command.id, breaker: command.breaker, status: 'applied', state, reason: null, duplicate: false, at: Date.now() }).catch(() => {});
    });
    expect(await send(agent, 'instance:register', run.register(['payments-api'], labels))).toMatchObject({ ok: true });
    instances.push(instance);
    return instance;
  }

  const breakerId = async () => (await admin.getJson<TBreakerList>('/api/v1/breakers?service=checkout')).breakers.find((breaker) => breaker.name === 'payments-api')!.id;
  const act = (client: SignedInClient, id: string, body: unknown, headers: Record<string, string> = {}) => client.request(`/api/v1/breakers/${id}/actions`, { method: 'POST', body, headers });
  const control = (id: string) => admin.getJson<{ override: TOverrideView | null; lastCommand: { id: string; deliveries: TDelivery[] } | null }>(`/api/v1/breakers/${id}/control`);
  const count = async (table: string) => (await setup.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  beforeAll(async () => {
    key = (await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create('checkout')).key;
    admin = await signIn(setup.panel.url);
    operator = await signInAs(setup.panel.url, 'operator', admin);
    viewer = await signInAs(setup.panel.url, 'viewer', admin);
    await startInstance('web-1', { zone: 'eu-1' });
    await startInstance('web-2', { zone: 'eu-2' });
  });
  afterAll(async () => {
    for (const instance of instances) instance.agent.close();
  });

  it('trips every instance: override, command, deliveries acknowledged, transition and audit with the reason', async () => {
    const id = await breakerId();
    const response = await act(operator, id, { action: 'trip', scope: { all: true }, reason: 'payments provider outage INC-1' });
    expect(response.status).toBe(201);
    const result = (await response.json()) as TActionResult;
    expect(result.override).toMatchObject({ state: 'FORCED_OPEN', reason: 'payments provider outage INC-1', scope: { all: true } });
    expect(result.override!.expiresAt! - Date.now()).toBeGreaterThan(3_500_000);
    await expect
      .poll(async () => (await control(id)).lastCommand?.deliveries.map((delivery) => `${delivery.instance}:${delivery.status}:${delivery.state}`))
      .toEqual(['web-1:applied:FORCED_OPEN', 'web-2:applied:FORCED_OPEN']);
    expect(instances.slice(0, 2).map((instance) => instance.commands.map((command) => [command.action, command.id]))).toEqual([[['trip', result.commandId]], [['trip', result.commandId]]]);

    const summary = (await admin.getJson<TBreakerList>('/api/v1/breakers?service=checkout')).breakers.find((breaker) => breaker.id === id)!;
    expect(summary.override?.reason).toBe('payments provider outage INC-1');
    const manual = await setup.database.query("SELECT to_state, cause, instance_id FROM transitions WHERE breaker_id = $1 AND cause = 'manual'", [id]);
    expect(manual).toEqual([{ to_state: 'FORCED_OPEN', cause: 'manual', instance_id: null }]);
    const audit = await admin.getJson<{ entries: TAuditEntry[] }>(`/api/v1/audit?breaker=${id}`);
    expect(audit.entries[0]).toMatchObject({
      action: 'breaker.trip',
      actor: operator.session.user.email,
      reason: 'payments provider outage INC-1',
      breaker: 'payments-api',
      service: 'checkout',
      delivery: { applied: 2 },
    });
    expect(audit.entries[0]!.ipAddress).toBeTruthy();
  });

  it('refuses a viewer with 403 and a request without a reason with 400, changing nothing', async () => {
    const id = await breakerId();
    const before = [await count('commands'), await count('overrides'), await count('audit_events')];
    expect((await act(viewer, id, { action: 'release', scope: { all: true }, reason: 'viewer tries' })).status).toBe(403);
    const missing = await act(operator, id, { action: 'release', scope: { all: true } });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toMatch(/reason/);
    const badScope = await act(operator, id, { action: 'trip', scope: { everything: true }, reason: 'bad scope' });
    expect(badScope.status).toBe(400);
    expect((await act(operator, '00000000-0000-4000-8000-000000000000', { action: 'trip', scope: { all: true }, reason: 'no such breaker' })).status).toBe(404);
    expect([await count('commands'), await count('overrides'), await count('audit_events')]).toEqual(before);
  });

  it('does nothing twice for a repeated idempotency key', async () => {
    const id = await breakerId();
    const body = { action: 'force_closed', scope: { all: true }, reason: 'keep checkout selling during the incident' };
    const first = await act(operator, id, body, { 'idempotency-key': 'incident-42-force' });
    const again = await act(operator, id, body, { 'idempotency-key': 'incident-42-force' });
    expect([first.status, again.status]).toEqual([201, 200]);
    const [a, b] = [(await first.json()) as TActionResult, (await again.json()) as TActionResult];
    expect(b.repeated).toBe(true);
    expect(b.commandId).toBe(a.commandId);
    expect(await setup.database.query('SELECT count(*)::int AS n FROM commands WHERE idempotency_key = $1', ['incident-42-force'])).toEqual([{ n: 1 }]);
    await expect.poll(() => instances[0]!.commands.filter((command) => command.id === a.commandId).length).toBe(1);
  });

  it('gives two operators acting at once a deterministic result: the last write wins and both are audited', async () => {
    const id = await breakerId();
    const second = await signInAs(setup.panel.url, 'operator', admin);
    const auditBefore = await count('audit_events');
    const answers = await Promise.all([
      act(operator, id, { action: 'trip', scope: { all: true }, reason: 'operator one trips' }),
      act(second, id, { action: 'force_closed', scope: { all: true }, reason: 'operator two forces closed' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    const active = await setup.database.query<{ reason: string }>('SELECT reason FROM overrides WHERE breaker_id = $1 AND ended_at IS NULL', [id]);
    expect(active).toHaveLength(1);
    const last = await setup.database.query<{ reason: string }>(
      "SELECT reason FROM audit_events WHERE breaker_id = $1 AND action IN ('breaker.trip', 'breaker.force_closed') ORDER BY id DESC LIMIT 1",
      [id],
    );
    expect(active[0]!.reason).toBe(last[0]!.reason);
    expect(await count('audit_events')).toBe(auditBefore + 2);
    expect((await control(id)).override?.reason).toBe(active[0]!.reason);
  });

  it('scopes by label, and an instance that joins later with matching labels receives the override', async () => {
    const id = await breakerId();
    const response = await act(operator, id, { action: 'trip', scope: { labels: { zone: 'eu-2' } }, reason: 'eu-2 only' });
    const { commandId } = (await response.json()) as TActionResult;
    await expect.poll(() => instances[1]!.commands.some((command) => command.id === commandId)).toBe(true);
    expect(instances[0]!.commands.some((command) => command.id === commandId)).toBe(false);

    const late = await startInstance('web-3', { zone: 'eu-2' });
    const elsewhere = await startInstance('web-4', { zone: 'eu-1' });
    await expect.poll(() => late.commands.map((command) => command.id)).toContain(commandId);
    expect(late.commands.find((command) => command.id === commandId)?.scope).toEqual({ kind: 'labels', labels: { zone: 'eu-2' } });
    await expect.poll(async () => (await control(id)).lastCommand?.deliveries.find((delivery) => delivery.instance === 'web-3')?.status).toBe('applied');
    expect(elsewhere.commands.some((command) => command.id === commandId)).toBe(false);
  });

  it('marks an instance that is offline when the command is sent, and delivers when it comes back', async () => {
    const id = await breakerId();
    const away = instances.find((instance) => instance.run.ref.instanceId === 'web-1')!;
    away.agent.close();
    const response = await act(operator, id, { action: 'trip', scope: { instances: ['web-1'] }, reason: 'isolate web-1' });
    const { commandId, deliveries } = (await response.json()) as TActionResult;
    expect(deliveries).toMatchObject([{ instance: 'web-1', status: 'offline' }]);

    const back = await connectAgent(setup.panel.url, key);
    const commands: TCommand[] = [];
    back.on('command:apply', (command) => {
      commands.push(command);
      void send(back, 'command:ack', { ...away.run.ref, commandId: command.id, breaker: command.breaker, status: 'applied', state: 'FORCED_OPEN', reason: null, duplicate: false, at: Date.now() });
    });
    await send(back, 'instance:register', away.run.register(['payments-api'], { zone: 'eu-1' }));
    await expect.poll(() => commands.map((command) => command.id)).toContain(commandId);
    await expect.poll(async () => (await control(id)).lastCommand?.deliveries.map((delivery) => delivery.status)).toEqual(['applied']);
    back.close();
  });

  it('releases: the override ends, the instances get a release and the timeline a manual end', async () => {
    const id = await breakerId();
    const response = await act(operator, id, { action: 'release', scope: { all: true }, reason: 'provider recovered' });
    expect(response.status).toBe(201);
    expect(((await response.json()) as TActionResult).override).toBeNull();
    expect((await control(id)).override).toBeNull();
    const ends = await setup.database.query<{ to_state: string }>("SELECT to_state FROM transitions WHERE breaker_id = $1 AND cause = 'manual' ORDER BY id DESC LIMIT 1", [id]);
    expect(ends).toEqual([{ to_state: 'CLOSED' }]);
    expect(await setup.database.query('SELECT end_reason FROM overrides WHERE breaker_id = $1 AND ended_at IS NULL', [id])).toEqual([]);
  });

  it('releases an instance that was away when its override ended and still holds it, and leaves overrides its host set alone', async () => {
    const id = await breakerId();
    const tripped = (await (await act(operator, id, { action: 'trip', scope: { all: true }, reason: 'INC-9' })).json()) as TActionResult;
    const away = instances.find((instance) => instance.run.ref.instanceId === 'web-2')!;
    await expect.poll(() => away.commands.map((command) => command.id)).toContain(tripped.commandId);
    away.agent.close();
    expect((await act(operator, id, { action: 'release', scope: { all: true }, reason: 'INC-9 over' })).status).toBe(201);

    // Back, with the trip still applied: its reports say so.
    const back = await connectAgent(setup.panel.url, key);
    const commands: TCommand[] = [];
    back.on('command:apply', (command) => commands.push(command));
    await send(back, 'instance:register', away.run.register(['payments-api'], { zone: 'eu-2' }));
    const holding = (commandId: string | null) => {
      const breaker = { ...away.run.breaker('payments-api', {}, 'FORCED_OPEN'), override: { state: 'FORCED_OPEN' as const, expiresAt: null, commandId } };
      return send(back, 'report:send', away.run.compact([breaker]));
    };
    expect(await holding(tripped.commandId)).toMatchObject({ ok: true });
    await expect.poll(() => commands.filter((command) => command.action === 'release')).toMatchObject([{ breaker: 'payments-api', scope: { kind: 'instance', instanceId: 'web-2' } }]);
    // Told once, not on every report; and an override the host set (no command id) is the host's.
    expect(await holding(tripped.commandId)).toMatchObject({ ok: true });
    expect(await holding(null)).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(commands.filter((command) => command.action === 'release')).toHaveLength(1);
    back.close();
  });
});
