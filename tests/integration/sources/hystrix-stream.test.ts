import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningPanel } from '../../../server/panel-server';
import { startFakeHystrixStream, type FakeHystrixStream } from '../../fixtures/fake-hystrix-stream';
import { startTestPanel } from '../../fixtures/panel';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';
import { addSource, breakerDetail, eventually, storedTransitions } from '../../fixtures/source-panel';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

const instanceOf = (stream: FakeHystrixStream) => new URL(stream.url).host;

describe('Hystrix event stream source', () => {
  let database: TestDatabase;
  let panel: RunningPanel;
  let admin: SignedInClient;
  let hostA: FakeHystrixStream;
  let hostB: FakeHystrixStream;

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    panel = await startTestPanel({ DATABASE_URL: database.url, REPORT_INTERVAL_MS: '500', FLUSH_INTERVAL_MS: '500' });
    admin = await signIn(panel.url);
    hostA = await startFakeHystrixStream();
    hostB = await startFakeHystrixStream();
    // A one-second rolling window (Hystrix's is 10 s) keeps the window sampling quick.
    for (const host of [hostA, hostB]) host.set('GetInventory', { propertyValue_metricsRollingStatisticalWindowInMilliseconds: 1_000 });
    await addSource(admin, { kind: 'hystrix', name: 'legacy fleet', service: 'legacy-orders', targets: [hostA.url, hostB.url], pollIntervalMs: 1_000 });
  });
  afterAll(async () => {
    await hostA?.close();
    await hostB?.close();
    await panel?.stop();
    await database?.drop();
  });

  const lanes = async () => {
    const detail = await breakerDetail(admin, 'legacy-orders', 'GetInventory');
    return Object.fromEntries((detail?.instances ?? []).map((instance) => [instance.name, instance.state]));
  };

  it('turns a fleet of streams into per-host instances of one read-only breaker, and the scripted incident into transitions', async () => {
    const a = instanceOf(hostA);
    const b = instanceOf(hostB);
    await eventually(lanes, (states) => states[a] === 'CLOSED' && states[b] === 'CLOSED');
    const detail = await breakerDetail(admin, 'legacy-orders', 'GetInventory');
    expect(detail!.instances.every((instance) => instance.client.kind === 'hystrix' && instance.client.readOnly)).toBe(true);

    hostA.set('GetInventory', { isCircuitBreakerOpen: true, errorPercentage: 80, requestCount: 20, rollingCountFailure: 16, rollingCountSuccess: 4 });
    await eventually(lanes, (states) => states[a] === 'OPEN' && states[b] === 'CLOSED');
    // The merged (service-wide) view shows the worst lane: the Turbine view without Turbine.
    const merged = await breakerDetail(admin, 'legacy-orders', 'GetInventory');
    expect(merged!.breaker.state).toBe('OPEN');
    expect(merged!.breaker.instances.byState).toMatchObject({ OPEN: 1, CLOSED: 1 });

    // Hystrix's half-open trial is reported as open (isCircuitBreakerOpen stays true): the panel cannot show HALF_OPEN.
    hostA.set('GetInventory', { rollingCountShortCircuited: 30, rollingCountSuccess: 1 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await lanes())[a]).toBe('OPEN');

    hostA.set('GetInventory', { isCircuitBreakerOpen: false, errorPercentage: 0, rollingCountFailure: 0, rollingCountShortCircuited: 0 });
    await eventually(lanes, (states) => states[a] === 'CLOSED');
    const transitions = await eventually(
      () => storedTransitions(database, 'legacy-orders'),
      (rows) => rows.length >= 2,
    );
    expect(transitions).toEqual([
      { breaker: 'GetInventory', instance: a, from: 'CLOSED', to: 'OPEN' },
      { breaker: 'GetInventory', instance: a, from: 'OPEN', to: 'CLOSED' },
    ]);
  });

  it('shows forced flags as FORCED states and a disabled breaker as FORCED_CLOSED', async () => {
    const b = instanceOf(hostB);
    hostB.set('GetInventory', { propertyValue_circuitBreakerForceOpen: true, isCircuitBreakerOpen: true });
    await eventually(lanes, (states) => states[b] === 'FORCED_OPEN');
    hostB.set('GetInventory', { propertyValue_circuitBreakerForceOpen: false, propertyValue_circuitBreakerForceClosed: true, isCircuitBreakerOpen: false });
    await eventually(lanes, (states) => states[b] === 'FORCED_CLOSED');
    hostB.set('GetInventory', { propertyValue_circuitBreakerForceClosed: false, propertyValue_circuitBreakerEnabled: false });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await lanes())[b]).toBe('FORCED_CLOSED');
    hostB.set('GetInventory', { propertyValue_circuitBreakerEnabled: true });
    await eventually(lanes, (states) => states[b] === 'CLOSED');
  });

  it('skips garbage, thread pools and pings on a stream and keeps reading it', async () => {
    const a = instanceOf(hostA);
    hostA.sendRaw('data: {"type":"HystrixCommand","name":\n\n');
    hostA.sendRaw('this is not server-sent events\n\n');
    hostA.sendRaw('data:[1,2,3]\n\ndata: "null"\n\n: a comment\nretry: 1000\nevent: ping\n\n');
    hostA.set('GetInventory', { isCircuitBreakerOpen: true });
    await eventually(lanes, (states) => states[a] === 'OPEN');
    hostA.set('GetInventory', { isCircuitBreakerOpen: false });
    await eventually(lanes, (states) => states[a] === 'CLOSED');
  });

  it('counts the rolling window once per window length, not once per emission', async () => {
    // Ten calls per second for about three seconds: some 30 calls, where adding every emission (ten a second) would give some 300.
    hostB.set('GetPrices', { propertyValue_metricsRollingStatisticalWindowInMilliseconds: 1_000, rollingCountSuccess: 10 });
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    hostB.set('GetPrices', { rollingCountSuccess: 0 });
    const seconds = (Date.now() - start) / 1_000;
    const stored = async () => {
      const rows = await database.query<{ success: number }>(
        `SELECT coalesce(sum(k.success), 0)::float8 AS success FROM breaker_buckets k JOIN breakers b ON b.id = k.breaker_id WHERE b.name = 'GetPrices' AND k.resolution_secs = 10`,
      );
      return rows[0]!.success;
    };
    const success = await eventually(stored, (value) => value >= 20, 20_000);
    expect(success).toBeLessThanOrEqual(10 * (seconds + 2));
  });

  it('reconnects after the stream drops (a restart: a new run) and reports a refusing or unreachable stream to the admin page', async () => {
    const a = instanceOf(hostA);
    const before = hostA.connections();
    const runOf = async () => (await database.query<{ run_id: string }>('SELECT run_id FROM instances WHERE name = $1', [a]))[0]?.run_id;
    const firstRun = await runOf();
    hostA.dropConnections();
    await eventually(
      async () => hostA.connections(),
      (count) => count > before,
      20_000,
    );
    await eventually(runOf, (run) => run !== firstRun, 20_000);
    await eventually(lanes, (states) => states[a] === 'CLOSED');

    hostA.refuse(true);
    hostA.dropConnections();
    const source = async () => (await admin.getJson<{ sources: Array<{ name: string; lastError: string | null }> }>('/api/v1/sources')).sources.find((item) => item.name === 'legacy fleet');
    const failing = await eventually(source, (view) => view?.lastError?.includes('HTTP 503') === true, 20_000);
    expect(failing!.lastError).toContain(hostA.url);
    expect(failing!.lastError).toContain('MaxConcurrentConnections');
    const detail = await eventually(
      () => breakerDetail(admin, 'legacy-orders', 'GetInventory'),
      (view) => view?.instances.find((instance) => instance.name === a)?.stale === true,
      20_000,
    );
    expect(detail!.instances.find((instance) => instance.name === instanceOf(hostB))?.stale).toBe(false);
    hostA.refuse(false);

    // A port nothing listens on any more: the connection is refused.
    const closed = await startFakeHystrixStream();
    const goneUrl = closed.url;
    await closed.close();
    const unreachable = await addSource(admin, { kind: 'hystrix', name: 'gone', service: 'legacy-gone', targets: [goneUrl] });
    const gone = await eventually(
      async () => (await admin.getJson<{ sources: Array<{ id: string; lastError: string | null }> }>('/api/v1/sources')).sources.find((item) => item.id === unreachable.id),
      (view) => Boolean(view?.lastError),
    );
    expect(gone!.lastError).toBe(`${goneUrl}: connection refused`);
  });
});
