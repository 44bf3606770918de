import { beforeAll, describe, expect, it } from 'vitest';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail.js';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import type { TMetricsSeries } from '../../../lib/api/metrics-series.js';
import { withRatesChange, ZRatesChanges } from '../../../lib/live/breaker-delta.js';
import type { TBreakersChanged, TLiveSnapshot } from '../../../lib/live/dashboard-events.js';
import type { TAck } from '../../../lib/protocol/ack.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { connectAgent, send } from '../../fixtures/agent-client';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';
import { instanceRun } from '../../fixtures/protocol-messages';

async function eventually<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ingest over the /agent socket', () => {
  // Short intervals so liveness shows within a test: stale after 3 × 200 ms.
  const setup = usePanelOnFreshDatabase({ REPORT_INTERVAL_MS: '200', FLUSH_INTERVAL_MS: '200' });
  let checkoutKey: string;
  let paymentsKey: string;
  let admin: SignedInClient;

  beforeAll(async () => {
    const keys = createApiKeys({ prisma: setup.panel.prisma, now: Date.now });
    checkoutKey = (await keys.create('checkout')).key;
    paymentsKey = (await keys.create('payments')).key;
    admin = await signIn(setup.panel.url);
  });

  const getJson = async <T>(path: string): Promise<T> => {
    const response = await admin.request(path);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  it('registers an instance, takes its reports and serves them through the read API and a dashboard socket', async () => {
    const dashboard = admin.connectDashboard();
    const snapshot = (await dashboard.emitWithAck('live:subscribe', { scope: { kind: 'service', service: 'checkout' } })) as TAck<TLiveSnapshot>;
    expect(snapshot.ok).toBe(true);
    const changes: TBreakersChanged[] = [];
    dashboard.on('breakers:changed', (payload: TBreakersChanged) => changes.push(payload));

    const run = instanceRun('checkout');
    const agent = await connectAgent(setup.panel.url, checkoutKey);
    expect(await send(agent, 'instance:register', run.register(['payments-api', 'inventory-api'], { zone: 'eu-1' }))).toMatchObject({ ok: true });
    expect(await send(agent, 'report:send', run.compact([run.breaker('payments-api', { success: 10, failure: 10 }, 'OPEN', [0, 0, 20]), run.breaker('inventory-api', { success: 5 })]))).toEqual({
      ok: true,
      data: null,
    });

    const list = await eventually(
      () => getJson<TBreakerList>('/api/v1/breakers?service=checkout'),
      (body) => body.breakers.length === 2,
    );
    expect(list.breakers.map((breaker) => [breaker.name, breaker.state])).toEqual([
      ['payments-api', 'OPEN'],
      ['inventory-api', 'CLOSED'],
    ]);
    const payments = list.breakers[0]!;
    expect(payments.instances).toMatchObject({ total: 1, stale: 0, byState: { OPEN: 1 } });

    const seen = await eventually(
      () => changes.flatMap((change) => change.breakers),
      (breakers) => breakers.some((breaker) => breaker.name === 'payments-api' && breaker.state === 'OPEN'),
    );
    expect(seen.every((breaker) => breaker.service === 'checkout')).toBe(true);

    // A report that only moves counters goes out as a rates change, which applied to what was sent gives what the read API says.
    const inventory = seen.findLast((breaker) => breaker.name === 'inventory-api')!;
    changes.length = 0;
    expect(await send(agent, 'report:send', run.compact([run.breaker('payments-api', { success: 10, failure: 10 }, 'OPEN', [0, 0, 20]), run.breaker('inventory-api', { success: 45 })]))).toEqual({
      ok: true,
      data: null,
    });
    // Each message's rates pass the schema the dashboard checks them with.
    const ratesOfInventory = () =>
      changes.flatMap((change) => {
        const rates = ZRatesChanges.parse(change.rates);
        return rates.ids.flatMap((id, index) => (id === inventory.id ? [{ rates, index }] : []));
      });
    const [ratesChange] = await eventually(ratesOfInventory, (found) => found.length > 0);
    expect(changes.flatMap((change) => change.breakers).map((breaker) => breaker.name)).not.toContain('inventory-api');
    const current = await getJson<TBreakerList>('/api/v1/breakers?service=checkout');
    const applied = withRatesChange(inventory, ratesChange!.rates, ratesChange!.index);
    expect(applied.rates.callsPerSecond).toBeGreaterThan(inventory.rates.callsPerSecond);
    expect(applied).toEqual({ ...current.breakers.find((breaker) => breaker.id === inventory.id), rates: applied.rates });

    const detail = await getJson<TBreakerDetail>(`/api/v1/breakers/${payments.id}`);
    expect(detail.instances).toMatchObject([{ name: run.ref.instanceId, labels: { zone: 'eu-1' }, state: 'OPEN', stale: false }]);
    expect(detail.config?.failureRateThreshold).toBe(50);
    agent.close();
    dashboard.close();
  });

  it('stores a transition before acknowledging it and drops duplicates and replays', async () => {
    const run = instanceRun('checkout');
    const agent = await connectAgent(setup.panel.url, checkoutKey);
    await send(agent, 'instance:register', run.register(['payments-api']));
    const opened = run.transition('payments-api', 'CLOSED', 'OPEN');
    const ack = await send(agent, 'transition:report', opened);
    expect(ack).toEqual({ ok: true, data: null });
    // Acknowledged means stored: it is there the moment the ack arrives.
    const stored = await setup.database.query('SELECT to_state, cause FROM transitions WHERE run_id = $1', [run.ref.runId]);
    expect(stored).toEqual([{ to_state: 'OPEN', cause: 'failure_rate' }]);

    // The same transition again, and again after a reconnect (a replay), is acknowledged and stored once.
    expect(await send(agent, 'transition:report', opened)).toEqual({ ok: true, data: null });
    agent.close();
    const again = await connectAgent(setup.panel.url, checkoutKey);
    await send(again, 'instance:register', run.register(['payments-api']));
    expect(await send(again, 'transition:report', opened)).toEqual({ ok: true, data: null });
    expect(await send(again, 'transition:report', run.transition('payments-api', 'OPEN', 'HALF_OPEN'))).toMatchObject({ ok: true });
    const rows = await setup.database.query<{ sequence: string }>('SELECT sequence FROM transitions WHERE run_id = $1 ORDER BY sequence', [run.ref.runId]);
    expect(rows.map((row) => Number(row.sequence))).toEqual([1, 2]);
    again.close();
  });

  it("serves a breaker's open 10 s bucket in its metrics before it is written, and counts it once after", async () => {
    const name = `open-bucket-${Date.now()}`;
    const run = instanceRun('checkout', 'open-bucket-host');
    const agent = await connectAgent(setup.panel.url, checkoutKey);
    await send(agent, 'instance:register', run.register([name]));
    await send(agent, 'report:send', run.compact([run.breaker(name, { success: 7, failure: 3 }, 'CLOSED', [0, 10])]));
    const breakerId = (await getJson<TBreakerList>('/api/v1/breakers?service=checkout')).breakers.find((breaker) => breaker.name === name)!.id;
    const totals = async (from?: number) => {
      const to = Date.now() + 10_000;
      const series = await getJson<TMetricsSeries>(`/api/v1/breakers/${breakerId}/metrics?from=${from ?? to - 120_000}&to=${to}`);
      if (from !== undefined) expect(series.from).toBe(from - (from % (series.step * 1000)));
      return {
        success: series.points.reduce((sum, point) => sum + point.success, 0),
        failure: series.points.reduce((sum, point) => sum + point.failure, 0),
        p50Ms: series.points.find((point) => point.success > 0)?.p50Ms,
      };
    };
    // The bucket is written once it closes (up to 10 s from now): until then the aggregate supplies it.
    const stored = async () => (await setup.database.query('SELECT 1 FROM breaker_buckets WHERE breaker_id = $1', [breakerId])).length;
    const before = await totals();
    expect(before).toEqual({ success: 7, failure: 3, p50Ms: expect.any(Number) });
    await setup.panel.pipeline.flush();
    expect(await stored()).toBeGreaterThan(0);
    expect(await totals()).toEqual(before);
    // A `from` inside the bucket still counts the whole bucket: it is aligned down to the bucket's start.
    const [bucket] = await setup.database.query<{ start: Date }>('SELECT bucket_start AS start FROM breaker_buckets WHERE breaker_id = $1 AND resolution_secs = 10', [breakerId]);
    expect(await totals(bucket!.start.getTime() + 5_000)).toEqual(before);
    agent.close();
  });

  it('derives deltas from cumulative counters and counts a restarted instance right', async () => {
    const name = `restart-${Date.now()}`;
    const first = instanceRun('checkout', 'restarting-host');
    const agent = await connectAgent(setup.panel.url, checkoutKey);
    await send(agent, 'instance:register', first.register([name]));
    await send(agent, 'report:send', first.compact([first.breaker(name, { success: 10 })]));
    await send(agent, 'report:send', first.compact([first.breaker(name, { success: 25, failure: 5 })]));
    // A repeated (older) report must not look like a restart.
    const repeated = first.compact([first.breaker(name, { success: 25, failure: 5 })]);
    await send(agent, 'report:send', { ...repeated, sequence: 1 });
    // The process restarts: a new run whose counters start again.
    const second = instanceRun('checkout', 'restarting-host');
    await send(agent, 'instance:register', second.register([name]));
    await send(agent, 'report:send', second.compact([second.breaker(name, { success: 3, failure: 1 })]));
    // And a counter going backwards within a run is a restart too: take the new value.
    await send(agent, 'report:send', second.compact([second.breaker(name, { success: 2 })]));

    await setup.panel.pipeline.flush();
    const sums = await setup.database.query<{ success: string; failure: string }>(
      `SELECT sum(bb.success)::text AS success, sum(bb.failure)::text AS failure FROM breaker_buckets bb JOIN breakers b ON b.id = bb.breaker_id
       WHERE b.name = $1 AND bb.resolution_secs = 10`,
      [name],
    );
    expect(sums).toEqual([{ success: String(25 + 3 + 2), failure: String(5 + 1) }]);
    agent.close();
  });

  it("keeps each instance's 10 s counts and histogram in the per-instance buckets", async () => {
    const name = `per-instance-${Date.now()}`;
    const reported = { a: { success: 7, failure: 2, histogram: [0, 4, 5] }, b: { success: 3, failure: 0, histogram: [1, 0, 0, 0, 2] } };
    const agents = [];
    for (const [host, counts] of Object.entries(reported)) {
      const run = instanceRun('checkout', `per-instance-host-${host}`);
      const agent = await connectAgent(setup.panel.url, checkoutKey);
      agents.push(agent);
      expect((await send(agent, 'instance:register', run.register([name]))).ok).toBe(true);
      // A first report sets the baseline at zero; the second one's counters are the bucket's delta.
      await send(agent, 'report:send', run.compact([run.breaker(name, {})]));
      expect((await send(agent, 'report:send', run.compact([run.breaker(name, { success: counts.success, failure: counts.failure }, 'CLOSED', counts.histogram)]))).ok).toBe(true);
    }

    await setup.panel.pipeline.flush();
    // Element i of every array belongs to instance_ids[i]; rows of one bucket are summed per instance.
    const stored = await setup.database.query<{ instance: string; success: string; failure: string; histogram: string[] }>(
      `SELECT i.name AS instance, sum(b.success[k])::text AS success, sum(b.failure[k])::text AS failure,
              (array_agg(array_to_string(b.latency_histograms[k:k][:], ',')))::text[] AS histogram
       FROM instance_buckets b JOIN breakers br ON br.id = b.breaker_id,
            generate_subscripts(b.instance_ids, 1) AS k JOIN instances i ON true
       WHERE br.name = $1 AND i.id = b.instance_ids[k]
       GROUP BY i.name ORDER BY i.name`,
      [name],
    );
    expect(stored).toEqual([
      { instance: 'per-instance-host-a', success: '7', failure: '2', histogram: ['0,4,5,0,0'] },
      { instance: 'per-instance-host-b', success: '3', failure: '0', histogram: ['1,0,0,0,2'] },
    ]);
    for (const agent of agents) agent.close();
  });

  it('marks an instance stale when it stops reporting and live again when it reports', async () => {
    const name = `liveness-${Date.now()}`;
    const run = instanceRun('checkout');
    const agent = await connectAgent(setup.panel.url, checkoutKey);
    await send(agent, 'instance:register', run.register([name]));
    await send(agent, 'report:send', run.compact([run.breaker(name, { success: 1 })]));
    const id = (await getJson<TBreakerList>('/api/v1/breakers?service=checkout')).breakers.find((breaker) => breaker.name === name)!.id;

    const stale = await eventually(
      () => getJson<TBreakerDetail>(`/api/v1/breakers/${id}`),
      (detail) => detail.breaker.instances.stale === 1,
    );
    expect(stale.breaker.state).toBeNull();
    expect(stale.breaker.instances.byState.CLOSED).toBe(0);
    expect(stale.instances[0]?.stale).toBe(true);

    await send(agent, 'report:send', run.compact([run.breaker(name, { success: 2 })]));
    const back = await getJson<TBreakerDetail>(`/api/v1/breakers/${id}`);
    expect(back.breaker).toMatchObject({ state: 'CLOSED', instances: { stale: 0, byState: { CLOSED: 1 } } });
    agent.close();
  });

  it('refuses a key for one service reporting for another, and keeps the connection after a bad message', async () => {
    const run = instanceRun('checkout');
    const agent = await connectAgent(setup.panel.url, paymentsKey);
    expect(await send(agent, 'instance:register', run.register(['x']))).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'This API key reports for service "payments", not "checkout"', path: ['service'] },
    });
    const bad = await send(agent, 'report:send', { ...run.compact([]), sequence: -1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload', path: ['sequence'] } });
    const future = await send(agent, 'transition:report', { ...run.transition('x', 'CLOSED', 'OPEN'), protocolVersion: 99 });
    expect(future).toMatchObject({ ok: false, error: { code: 'unsupported_protocol_version' } });
    expect(await send(agent, 'report:send', run.compact([]))).toMatchObject({ ok: false, error: { code: 'not_registered' } });
    expect(agent.connected).toBe(true);
    const instances = await setup.database.query("SELECT 1 FROM instances i JOIN services s ON s.id = i.service_id WHERE s.name = 'checkout' AND i.name = $1", [run.ref.instanceId]);
    expect(instances).toEqual([]);
    agent.close();
  });

  it('refuses a compact report whose breakers do not match the registration, and changes nothing', async () => {
    const name = `mismatch-${Date.now()}`;
    const run = instanceRun('checkout');
    const agent = await connectAgent(setup.panel.url, checkoutKey);
    await send(agent, 'instance:register', run.register([name]));
    const two = await send(agent, 'report:send', run.compact([run.breaker(name, { success: 5 }), run.breaker('extra', { success: 5 })]));
    expect(two).toMatchObject({ ok: false, error: { code: 'invalid_payload', path: ['state'] } });
    const ragged = { ...run.compact([run.breaker(name, { success: 5 })]), counters: [5] };
    expect(await send(agent, 'report:send', ragged)).toMatchObject({ ok: false, error: { code: 'invalid_payload', path: ['counters'] } });
    const negative = run.compact([run.breaker(name, { success: -1 })]);
    expect(await send(agent, 'report:send', negative)).toMatchObject({ ok: false, error: { code: 'invalid_payload', path: ['counters', 0] } });
    await setup.panel.pipeline.flush();
    expect(await setup.database.query('SELECT 1 FROM breaker_buckets bb JOIN breakers b ON b.id = bb.breaker_id WHERE b.name = $1', [name])).toEqual([]);
    agent.close();
  });

  it('still takes the full reports of a version 1 connection (deprecated), naming breakers it did not register', async () => {
    const name = `version-1-${Date.now()}`;
    const run = instanceRun('checkout', 'version-1-host', undefined, 1);
    const agent = await connectAgent(setup.panel.url, checkoutKey, 1);
    expect((await send(agent, 'instance:register', run.register([name]))).ok).toBe(true);
    expect(await send(agent, 'report:send', run.report([run.breaker(name, { success: 4 }), run.breaker(`${name}-late`, { failure: 2 })]))).toEqual({ ok: true, data: null });
    // A breaker first named mid-run counts from its first report, which is its baseline.
    expect(await send(agent, 'report:send', run.report([run.breaker(name, { success: 4 }), run.breaker(`${name}-late`, { failure: 5 })]))).toEqual({ ok: true, data: null });
    await setup.panel.pipeline.flush();
    const sums = await setup.database.query<{ name: string; success: string; failure: string }>(
      `SELECT b.name, sum(bb.success)::text AS success, sum(bb.failure)::text AS failure FROM breaker_buckets bb JOIN breakers b ON b.id = bb.breaker_id
       WHERE b.name LIKE $1 AND bb.resolution_secs = 10 GROUP BY b.name ORDER BY b.name`,
      [`${name}%`],
    );
    expect(sums).toEqual([
      { name, success: '4', failure: '0' },
      { name: `${name}-late`, success: '0', failure: '3' },
    ]);
    agent.close();
  });

  it('refuses unknown keys and protocol versions at connect, and closes the sockets of a revoked key at once', async () => {
    await expect(connectAgent(setup.panel.url, 'bp_not-a-key')).rejects.toThrow(/unknown or revoked/);
    await expect(connectAgent(setup.panel.url, checkoutKey, 3)).rejects.toThrow(/Protocol version 3 is not supported/);

    const keys = createApiKeys({ prisma: setup.panel.prisma, now: Date.now });
    const doomed = await keys.create('checkout');
    const agent = await connectAgent(setup.panel.url, doomed.key);
    const disconnected = new Promise<string>((resolve) => agent.once('disconnect', resolve));
    expect(await keys.revoke(doomed.id)).toBe(true);
    expect(await disconnected).toBe('io server disconnect');
    await expect(connectAgent(setup.panel.url, doomed.key)).rejects.toThrow(/unknown or revoked/);
  });
});
