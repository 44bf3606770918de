import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail';
import type { TBreakerList } from '../../../lib/api/breaker-list';
import type { TAuditEntry } from '../../../lib/control/audit';
import type { TIncidentList } from '../../../lib/history/incidents';
import { ZNotificationEvent } from '../../../lib/notify/notification-event';
import type { TActionResult } from '../../../lib/control/operator-action';
import type { TSourceView } from '../../../lib/sources/source';
import type { RunningPanel } from '../../../server/panel-server';
import type { R4jState } from '../../fixtures/fake-breaker-service';
import { startFakeBreakerService, type FakeBreakerServiceProcess } from '../../fixtures/fake-breaker-service-process';
import { startTestPanel } from '../../fixtures/panel';
import { signIn, signInAs, type SignedInClient } from '../../fixtures/signed-in';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';
import { startWebhookReceiver } from '../notify/webhook-receiver';

const BASIC = { username: 'actuator', password: 'pa55-w0rd-for-actuator' };

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // Not there yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 800)}`);
}

describe('sources', () => {
  let database: TestDatabase;
  let panel: RunningPanel;
  let admin: SignedInClient;
  let operator: SignedInClient;
  let fake: FakeBreakerServiceProcess;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const startedAt = Date.now();

  const createSource = async (body: Record<string, unknown>) => {
    const answer = await admin.request('/api/v1/sources', { method: 'POST', body: { pollIntervalMs: 1_000, credentials: { type: 'basic', ...BASIC }, ...body } });
    expect(answer.status, await answer.clone().text()).toBe(201);
    return ((await answer.json()) as { source: TSourceView }).source;
  };
  const breakerOf = async (service: string, name: string) => {
    const list = await admin.getJson<TBreakerList>(`/api/v1/breakers?service=${encodeURIComponent(service)}`);
    const summary = list.breakers.find((breaker) => breaker.name === name);
    if (!summary) throw new Error('not yet');
    return admin.getJson<TBreakerDetail>(`/api/v1/breakers/${summary.id}`);
  };
  const stateOf = async (service: string, name: string) => (await breakerOf(service, name)).instances[0]?.state;
  const sources = async () => (await admin.getJson<{ sources: TSourceView[] }>('/api/v1/sources')).sources;
  /** What the panel counted for a breaker since it started: success, failure, rejected. */
  const totalsOf = async (service: string, name: string) => {
    const totals = panel.pipeline.aggregate.breakers.get((await breakerOf(service, name)).breaker.id)!.totals;
    return { success: totals[0]!, failure: totals[1]!, rejected: totals[3]! };
  };

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    panel = await startTestPanel({ DATABASE_URL: database.url, REPORT_INTERVAL_MS: '250', SOURCE_CREDENTIALS_KEY: 'ab'.repeat(32) });
    admin = await signIn(panel.url);
    operator = await signInAs(panel.url, 'operator', admin);
    fake = await startFakeBreakerService({ breakers: ['inventory', 'pricing'], basic: BASIC });
    receiver = await startWebhookReceiver();
  }, 60_000);
  afterAll(async () => {
    await fake?.stop();
    await panel?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('lets only admins add sources, validates every field, audits, and never hands credentials back', async () => {
    const missing = await admin.request('/api/v1/sources', { method: 'POST', body: { kind: 'actuator', name: 'no targets', service: 'x' } });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toContain('"path":"targets"');
    const withUser = await admin.request('/api/v1/sources', { method: 'POST', body: { kind: 'actuator', name: 'user in url', service: 'x', targets: ['http://u:p@127.0.0.1:1/actuator'] } });
    expect(withUser.status).toBe(400);
    expect(JSON.stringify(await withUser.json())).toContain('"path":"targets.0"');
    const badKind = await admin.request('/api/v1/sources', { method: 'POST', body: { kind: 'sentinel', name: 'k', service: 'x', targets: ['http://127.0.0.1:1'] } });
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(await badKind.json())).toContain('"path":"kind"');
    const tooFast = await admin.request('/api/v1/sources', { method: 'POST', body: { kind: 'prometheus', name: 'fast', service: 'x', targets: ['http://127.0.0.1:1/m'], pollIntervalMs: 10 } });
    expect(tooFast.status).toBe(400);
    expect(JSON.stringify(await tooFast.json())).toContain('"path":"pollIntervalMs"');
    const otlpWithTargets = await admin.request('/api/v1/sources', { method: 'POST', body: { kind: 'otlp', name: 'pushed', service: 'x', targets: ['http://127.0.0.1:1/m'] } });
    expect(otlpWithTargets.status).toBe(400);
    expect(JSON.stringify(await otlpWithTargets.json())).toContain('"path":"targets"');
    const byOperator = await operator.request('/api/v1/sources', { method: 'POST', body: { kind: 'prometheus', name: 'op', service: 'x', targets: ['http://127.0.0.1:1/m'] } });
    expect(byOperator.status).toBe(403);
    expect((await operator.request('/api/v1/sources')).status).toBe(403);
    expect(await sources()).toEqual([]);

    const created = await createSource({ kind: 'prometheus', name: 'audit probe', service: 'probe', targets: ['http://127.0.0.1:9/metrics'], enabled: false });
    expect(created).toMatchObject({ kind: 'prometheus', credentials: 'basic', enabled: false });
    const listed = JSON.stringify(await admin.getJson('/api/v1/sources'));
    expect(listed).not.toContain(BASIC.password);
    const stored = await database.query<{ credentials_sealed: string }>('SELECT credentials_sealed FROM sources');
    expect(stored[0]!.credentials_sealed).not.toContain(BASIC.password);
    expect(stored[0]!.credentials_sealed).not.toContain(BASIC.username);

    const duplicate = await admin.request('/api/v1/sources', { method: 'POST', body: { kind: 'prometheus', name: 'audit probe', service: 'probe', targets: ['http://127.0.0.1:9/metrics'] } });
    expect(duplicate.status).toBe(409);
    const patched = await admin.request(`/api/v1/sources/${created.id}`, { method: 'PATCH', body: { pollIntervalMs: 2_000, credentials: { type: 'bearer', token: 'tok-secret-123' } } });
    expect(patched.status).toBe(200);
    expect(JSON.stringify(await patched.json())).not.toContain('tok-secret-123');
    const emptied = await admin.request(`/api/v1/sources/${created.id}`, { method: 'PATCH', body: { targets: [] } });
    expect(emptied.status).toBe(400);
    const otlp = await createSource({ kind: 'otlp', name: 'pushed', service: 'probe-otlp', credentials: { type: 'none' } });
    expect(otlp.targets).toEqual([]);
    const otlpTargets = await admin.request(`/api/v1/sources/${otlp.id}`, { method: 'PATCH', body: { targets: ['http://127.0.0.1:1/m'] } });
    expect(otlpTargets.status).toBe(400);
    expect(JSON.stringify(await otlpTargets.json())).toContain('"path":"targets"');
    expect((await admin.request(`/api/v1/sources/${otlp.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await admin.request(`/api/v1/sources/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await admin.request(`/api/v1/sources/${created.id}`, { method: 'DELETE' })).status).toBe(404);

    const audit = await admin.getJson<{ entries: TAuditEntry[] }>('/api/v1/audit?limit=20');
    const actions = audit.entries.filter((entry) => entry.targetType === 'source').map((entry) => entry.action);
    expect(actions).toEqual(['source.deleted', 'source.deleted', 'source.created', 'source.updated', 'source.created']);
    expect(JSON.stringify(audit)).not.toContain(BASIC.password);
  });

  it('runs the same scripted incident through an actuator and three scrapes to the same states and transitions, alerted on like SDK breakers', async () => {
    const services = ['orders-actuator', 'orders-micrometer', 'orders-opossum', 'orders-polly'];
    const endpoint = await admin.request('/api/v1/notifications/endpoints', {
      method: 'POST',
      body: { name: 'source alerts', url: receiver.url('/hooks/sources'), format: 'json', services, events: ['breaker.tripped', 'breaker.recovered'] },
    });
    expect(endpoint.status, await endpoint.clone().text()).toBe(201);
    await createSource({ kind: 'actuator', name: 'orders actuator', service: 'orders-actuator', targets: [`${fake.url}/actuator`] });
    await createSource({ kind: 'prometheus', name: 'orders micrometer', service: 'orders-micrometer', targets: [`${fake.url}/actuator/prometheus`] });
    await createSource({ kind: 'prometheus', name: 'orders opossum', service: 'orders-opossum', targets: [`${fake.url}/opossum/metrics`] });
    await createSource({ kind: 'prometheus', name: 'orders polly', service: 'orders-polly', targets: [`${fake.url}/polly/metrics`] });
    const views: Array<[string, string]> = [
      ['orders-actuator', 'inventory'],
      ['orders-micrometer', 'inventory'],
      ['orders-opossum', 'inventory'],
      ['orders-polly', 'orders-http/inventory'],
    ];
    const allIn = (state: string) =>
      until(
        `every source to show ${state}`,
        () => Promise.all(views.map(([service, name]) => stateOf(service, name))),
        (states) => states.every((item) => item === state),
      );

    await allIn('CLOSED');
    // Fewer calls than the minimum: Resilience4j's -1 sentinel rates show as 0 %, never as -1.
    for (const service of ['orders-actuator', 'orders-micrometer']) {
      expect((await breakerOf(service, 'inventory')).instances[0]!.window, service).toMatchObject({ failureRate: 0, slowCallRate: 0 });
    }
    await fake.script({ op: 'calls', breaker: 'inventory', success: 20, failure: 2 });
    const counted = await until(
      'the calls to be counted',
      () => breakerOf('orders-actuator', 'inventory'),
      (detail) => detail.instances[0]!.window!.calls === 22,
    );
    expect(counted.instances[0]!.window!.failureRate).toBeCloseTo(9.1, 1);
    expect(counted.instances[0]!.client).toMatchObject({ kind: 'resilience4j-actuator', readOnly: false });
    expect((await breakerOf('orders-micrometer', 'inventory')).instances[0]!.client).toMatchObject({ kind: 'prometheus', readOnly: true });

    for (const step of ['OPEN', 'HALF_OPEN', 'CLOSED'] as const) {
      await fake.script({ op: 'state', breaker: 'inventory', state: step });
      await allIn(step);
    }
    for (const [service, name] of views) {
      const detail = await breakerOf(service, name);
      const path = detail.recentTransitions
        .filter((transition) => transition.instance !== null)
        .map((transition) => `${transition.from}>${transition.to}`)
        .reverse();
      expect(path, service).toEqual(['CLOSED>OPEN', 'OPEN>HALF_OPEN', 'HALF_OPEN>CLOSED']);
    }
    const causes = (await breakerOf('orders-actuator', 'inventory')).recentTransitions.map((transition) => transition.cause).reverse();
    expect(causes).toEqual(['failure_rate', 'open_timeout_elapsed', 'trials_succeeded']);

    // The notifier sees source breakers as it sees SDK ones: one trip and one recovery per source.
    const alerts = () =>
      receiver.received
        .filter((hook) => hook.path === '/hooks/sources')
        .map((hook) => ZNotificationEvent.parse(JSON.parse(hook.body)))
        .map((event) => `${event.service}/${event.breaker.name} ${event.type}`)
        .sort();
    const expected = views.flatMap(([service, name]) => [`${service}/${name} breaker.recovered`, `${service}/${name} breaker.tripped`]).sort();
    await until(
      'a trip and a recovery alerted for every source',
      async () => alerts(),
      (seen) => seen.length >= expected.length,
    );
    expect(alerts()).toEqual(expected);
  });

  it('keeps source breakers in history like SDK data: incidents, the export and the rolled-up buckets', async () => {
    const from = startedAt;
    const to = Date.now() + 1_000;
    const views: Array<[string, string]> = [
      ['orders-actuator', 'inventory'],
      ['orders-micrometer', 'inventory'],
      ['orders-opossum', 'inventory'],
      ['orders-polly', 'orders-http/inventory'],
    ];
    for (const [service, name] of views) {
      const instance = (await breakerOf(service, name)).instances[0]!.name;
      const list = await admin.getJson<TIncidentList>(`/api/v1/history/incidents?from=${from}&to=${to}&service=${service}`);
      expect(
        list.incidents.map((incident) => ({ breaker: incident.breaker, instances: incident.instances, openings: incident.openings, closed: incident.end !== null })),
        service,
      ).toEqual([{ breaker: name, instances: [instance], openings: 1, closed: true }]);
      const exported = await admin.request(`/api/v1/history/export?format=json&kind=transitions&from=${from}&to=${to}&service=${service}`);
      expect(exported.status).toBe(200);
      const { transitions } = (await exported.json()) as { transitions: Array<{ breaker: string; instance: string | null; from: string; to: string }> };
      expect(
        transitions.filter((row) => row.instance === instance).map((row) => `${row.breaker} ${row.from}>${row.to}`),
        service,
      ).toEqual([`${name} CLOSED>OPEN`, `${name} OPEN>HALF_OPEN`, `${name} HALF_OPEN>CLOSED`]);
    }
    const csv = await (await admin.request(`/api/v1/history/export?format=csv&kind=incidents&from=${from}&to=${to}&service=orders-actuator`)).text();
    expect(csv).toContain('orders-actuator');

    // The calls read from the actuator and the Micrometer scrape are rolled up into the 10 s buckets, as an SDK's would be.
    const bucketed = async (service: string) =>
      (
        await database.query<{ success: number; failure: number }>(
          `SELECT coalesce(sum(k.success), 0)::int AS success, coalesce(sum(k.failure), 0)::int AS failure
           FROM breaker_buckets k JOIN breakers b ON b.id = k.breaker_id JOIN services s ON s.id = b.service_id
           WHERE s.name = $1 AND b.name = 'inventory' AND k.resolution_secs = 10`,
          [service],
        )
      )[0]!;
    for (const service of ['orders-actuator', 'orders-micrometer', 'orders-opossum']) {
      await until(
        `the calls of ${service} in the buckets`,
        () => bucketed(service),
        (sums) => sums.success === 20 && sums.failure === 2,
      );
    }
  });

  it('trips an actuator breaker through its write operation, leaves read-only ones out, and holds the trip across a restart', async () => {
    const act = async (service: string, name: string, action: string) => {
      const detail = await breakerOf(service, name);
      const answer = await operator.request(`/api/v1/breakers/${detail.breaker.id}/actions`, { method: 'POST', body: { action, scope: { all: true }, reason: 'scripted incident' } });
      expect(answer.status, await answer.clone().text()).toBe(201);
      return (await answer.json()) as TActionResult;
    };
    const fakeState = async (name: string) => (await fake.states()).states[name] as R4jState;

    const readOnly = await act('orders-micrometer', 'inventory', 'trip');
    expect(readOnly.deliveries).toEqual([]);

    const trip = await act('orders-actuator', 'inventory', 'trip');
    expect(trip.deliveries).toHaveLength(1);
    await until(
      'the fake service to be forced open',
      () => fakeState('inventory'),
      (state) => state === 'FORCED_OPEN',
      10_000,
    );
    const applied = await until(
      'the delivery to be applied',
      () => operator.getJson<{ lastCommand: { deliveries: Array<{ status: string; state: string | null }> } }>(`/api/v1/breakers/${trip.override!.breakerId}/control`),
      (control) => control.lastCommand.deliveries[0]?.status === 'applied',
    );
    // The acknowledgement is the actuator's answer to the write: the state it reports back.
    expect(applied.lastCommand.deliveries[0]!.state).toBe('FORCED_OPEN');
    await until(
      'the panel to show the actuator breaker forced open',
      () => stateOf('orders-actuator', 'inventory'),
      (state) => state === 'FORCED_OPEN',
    );

    // Rejections while forced open come from the window (events are suppressed then, and Micrometer's counter stays flat).
    const actuatorBefore = await totalsOf('orders-actuator', 'inventory');
    const micrometerBefore = await totalsOf('orders-micrometer', 'inventory');
    await fake.script({ op: 'calls', breaker: 'inventory', rejected: 5 });
    await until(
      'the rejections to be counted',
      () => totalsOf('orders-actuator', 'inventory'),
      (totals) => totals.rejected === actuatorBefore.rejected + 5,
    );
    expect((await totalsOf('orders-micrometer', 'inventory')).rejected).toBe(micrometerBefore.rejected);

    await fake.script({ op: 'restart' });
    expect(await fakeState('inventory')).toBe('CLOSED');
    await until(
      'the trip to be applied again after the restart',
      () => fakeState('inventory'),
      (state) => state === 'FORCED_OPEN',
      15_000,
    );
    const writes = (await fake.states()).writes.filter((write) => write.breaker === 'inventory').map((write) => write.updateState);
    expect(writes).toEqual(['FORCE_OPEN', 'FORCE_OPEN']);

    // Without the process start time, a breaker that lost the panel's override tells of the restart.
    await fake.script({ op: 'metrics', exposed: false });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await fake.script({ op: 'restart' });
    await until(
      'the trip to be applied again after a restart seen only by the lost override',
      () => fakeState('inventory'),
      (state) => state === 'FORCED_OPEN',
      15_000,
    );
    expect((await fake.states()).writes.filter((write) => write.breaker === 'inventory')).toHaveLength(3);
    await fake.script({ op: 'metrics', exposed: true });

    await act('orders-actuator', 'inventory', 'release');
    await until(
      'the release to close the fake breaker',
      () => fakeState('inventory'),
      (state) => state === 'CLOSED',
      10_000,
    );
    await until(
      'the panel to show it closed',
      () => stateOf('orders-actuator', 'inventory'),
      (state) => state === 'CLOSED',
    );

    await act('orders-actuator', 'pricing', 'force_closed');
    await until(
      'force closed to disable the fake breaker',
      () => fakeState('pricing'),
      (state) => state === 'DISABLED',
      10_000,
    );
    await until(
      'the panel to show it forced closed',
      () => stateOf('orders-actuator', 'pricing'),
      (state) => state === 'FORCED_CLOSED',
    );
    await act('orders-actuator', 'pricing', 'reset');
    await until(
      'reset to close it',
      () => fakeState('pricing'),
      (state) => state === 'CLOSED',
      10_000,
    );
  });

  it('counts calls once, and from zero again after the watched process restarts (a counter reset)', async () => {
    const counted: Array<[string, string]> = [
      ['orders-actuator', 'inventory'],
      ['orders-micrometer', 'inventory'],
      ['orders-opossum', 'inventory'],
    ];
    const before = await Promise.all(counted.map(([service, name]) => totalsOf(service, name)));
    const reached = (success: number, failure: number) =>
      until(
        `${success} more successes and ${failure} more failures everywhere`,
        () => Promise.all(counted.map(([service, name]) => totalsOf(service, name))),
        (totals) => totals.every((item, index) => item.success === before[index]!.success + success && item.failure === before[index]!.failure + failure),
      );
    await fake.script({ op: 'calls', breaker: 'inventory', success: 7, failure: 3 });
    await reached(7, 3);
    await fake.script({ op: 'restart' });
    await fake.script({ op: 'calls', breaker: 'inventory', success: 4 });
    await reached(11, 3);
    // A few more reads change nothing: nothing is counted twice.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await reached(11, 3);
  });

  it('shows an unreachable target stale with its error, names garbage answers, and recovers', async () => {
    const errorOf = async (name: string) => (await sources()).find((source) => source.name === name)?.lastError ?? null;
    await fake.script({ op: 'mode', mode: 'garbage' });
    await until(
      'the garbage to be named',
      () => errorOf('orders actuator'),
      (error) => error !== null && error.includes('state'),
    );
    await fake.script({ op: 'mode', mode: 'html' });
    await until(
      'a non-JSON answer to be named',
      () => errorOf('orders actuator'),
      (error) => error !== null && error.includes('not JSON'),
    );
    await until(
      'a non-Prometheus answer to be named',
      () => errorOf('orders micrometer'),
      (error) => error !== null && error.includes('not Prometheus text'),
    );
    await fake.script({ op: 'mode', mode: 'normal' });
    await until(
      'the error to clear',
      () => errorOf('orders actuator'),
      (error) => error === null,
    );

    await fake.script({ op: 'down' });
    await until(
      'the actuator instance to go stale',
      () => breakerOf('orders-actuator', 'inventory'),
      (detail) => detail.instances[0]!.stale,
    );
    await until(
      'the scrape instance to go stale',
      () => breakerOf('orders-opossum', 'inventory'),
      (detail) => detail.instances[0]!.stale,
    );
    expect(await errorOf('orders actuator')).toMatch(/connection refused/);
    await fake.script({ op: 'up' });
    await until(
      'the instance to be live again',
      () => breakerOf('orders-actuator', 'inventory'),
      (detail) => !detail.instances[0]!.stale,
      90_000,
    );
    // The status is written just after the read that made the instance live.
    await until(
      'the error to clear once the target answers',
      () => errorOf('orders actuator'),
      (error) => error === null,
      5_000,
    );
  }, 150_000);

  it('fails the delivery when the actuator refuses the write operation, and shows the instance read-only from then on', async () => {
    await fake.script({ op: 'write', allowed: false });
    const detail = await breakerOf('orders-actuator', 'pricing');
    const answer = await operator.request(`/api/v1/breakers/${detail.breaker.id}/actions`, { method: 'POST', body: { action: 'trip', scope: { all: true }, reason: 'write refused' } });
    expect(answer.status, await answer.clone().text()).toBe(201);
    const control = await until(
      'the delivery to fail',
      () => operator.getJson<{ lastCommand: { deliveries: Array<{ status: string; state: string | null; error: string | null }> } }>(`/api/v1/breakers/${detail.breaker.id}/control`),
      (view) => view.lastCommand.deliveries[0]?.status === 'failed',
    );
    expect(control.lastCommand.deliveries[0]).toMatchObject({ state: 'CLOSED', error: 'apply_failed' });
    expect((await fake.states()).states.pricing).toBe('CLOSED');
    await until(
      'the instance to be shown read-only',
      () => breakerOf('orders-actuator', 'pricing'),
      (view) => view.instances[0]!.client.readOnly,
    );
    await fake.script({ op: 'write', allowed: true });
  });

  it('reads Resilience4j 1.x (names only) with states from the health details, and refuses wrong credentials with a clear error', async () => {
    await fake.script({ op: 'shape', shape: 'r4j1' });
    await fake.script({ op: 'state', breaker: 'pricing', state: 'OPEN' });
    await until(
      'the 1.x shape to give the state',
      () => stateOf('orders-actuator', 'pricing'),
      (state) => state === 'OPEN',
    );
    await fake.script({ op: 'shape', shape: 'r4j2' });

    const wrong = await createSource({
      kind: 'actuator',
      name: 'wrong password',
      service: 'orders-wrong',
      targets: [`${fake.url}/actuator`],
      credentials: { type: 'basic', username: 'actuator', password: 'nope' },
    });
    await until(
      'the credentials error',
      async () => (await sources()).find((source) => source.id === wrong.id)?.lastError ?? null,
      (error) => error !== null && error.includes('HTTP 401'),
    );
  });
  it('shows the breakers of a newly added source within one poll interval', async () => {
    const intervalMs = 5_000;
    for (const [kind, service, target] of [
      ['actuator', 'late-actuator', `${fake.url}/actuator`],
      ['prometheus', 'late-scrape', `${fake.url}/actuator/prometheus`],
    ] as const) {
      const added = Date.now();
      await createSource({ kind, name: `${service} source`, service, targets: [target], pollIntervalMs: intervalMs });
      await until(
        `${service} to show its breakers`,
        () => stateOf(service, 'inventory'),
        (state) => state === 'CLOSED',
        3 * intervalMs,
      );
      // The first read falls within the first interval; the rest is the read and the API's own time on a busy machine.
      expect(Date.now() - added, service).toBeLessThan(intervalMs + 3_000);
    }
  });
});
