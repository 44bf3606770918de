import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail.js';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import type { TBreakerSummary } from '../../../lib/api/breaker-summary.js';
import type { TTransitionRecord } from '../../../lib/api/transition-record.js';
import type { TLiveSnapshot } from '../../../lib/live/dashboard-events.js';
import type { TDelivery } from '../../../lib/control/operator-action.js';
import type { TCreatedApiKey } from '../../../lib/auth/api-keys.js';
import { startPanelProcess, type PanelProcess } from '../../fixtures/panel-process';
import { findNginx, startNginxBalancer } from '../../fixtures/nginx-balancer';
import { instanceRun } from '../../fixtures/protocol-messages';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../fixtures/round-robin-proxy';
import { startSdkService, type SdkServiceProcess } from '../../fixtures/sdk-service-process';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';
import { startPythonReporter } from '../../fixtures/python-reporter';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';
import { startWebhookReceiver } from '../notify/webhook-receiver';
import type { TPartBatch } from '../../../server/cluster/part-wire';
import { freePort } from '../../fixtures/free-port';

const SERVICE = 'checkout';
const BREAKER = 'payments-api';
const IDS = ['a', 'b', 'c'] as const;
const HEARTBEAT_MS = 300;
const nginx = findNginx();

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // A server mid-restart; try again.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
}

/**
 * What must be the same on every server at one moment: everything but the
 * per-second rates, which are counts over the time up to the moment each
 * server answers (compared apart, within a few percent), and the last report time.
 */
function sameEverywhere(summary: TBreakerSummary) {
  const { callsPerSecond: _calls, rejectedPerSecond: _rejected, ...rates } = summary.rates;
  return { ...summary, lastReportAt: null, stateSince: null, rates };
}

/** Whether the servers' summaries agree (sameEverywhere) and their calls per second are within 5 % of each other. */
function agree(summaries: TBreakerSummary[]): boolean {
  const first = JSON.stringify(sameEverywhere(summaries[0]!));
  const calls = summaries.map((summary) => summary.rates.callsPerSecond);
  return summaries.every((summary) => JSON.stringify(sameEverywhere(summary)) === first) && Math.max(...calls) <= Math.min(...calls) * 1.05 + 0.01;
}

describe('three panel servers on one Postgres', () => {
  let database: TestDatabase;
  const servers: Record<'a' | 'b' | 'c', PanelProcess> = {} as Record<'a' | 'b' | 'c', PanelProcess>;
  const admins: Record<'a' | 'b' | 'c', SignedInClient> = {} as Record<'a' | 'b' | 'c', SignedInClient>;
  let proxy: RoundRobinProxy;
  let sdk: SdkServiceProcess;
  const pythons: Array<ReturnType<typeof startPythonReporter>> = [];
  const sockets: Socket[] = [];
  let webhooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let breakerId: string;
  const late: PanelProcess[] = [];
  const detailOn = (id: 'a' | 'b' | 'c', breaker: string) => admins[id].getJson<TBreakerDetail>(`/api/v1/breakers/${breaker}`);
  const detailsOn = (ids: ReadonlyArray<'a' | 'b' | 'c'>, breaker: string) => Promise.all(ids.map((id) => detailOn(id, breaker)));

  const start = async (id: 'a' | 'b' | 'c' | 'd', keyServices: string[] = []) =>
    startPanelProcess({
      port: await freePort(),
      keyServices,
      env: {
        DATABASE_URL: database.url,
        CLUSTER: 'on',
        SERVER_ID: `server-${id}`,
        CLUSTER_HEARTBEAT_MS: String(HEARTBEAT_MS),
        REPORT_INTERVAL_MS: '500',
        NOTIFY_RETRY_BASE_MS: '200',
        NOTIFY_EVALUATE_INTERVAL_MS: '500',
      },
    });

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    // The first start migrates the database and creates the admin; the other two join it.
    servers.a = await start('a', [SERVICE]);
    [servers.b, servers.c] = await Promise.all([start('b'), start('c')]);
    for (const id of ['a', 'b', 'c'] as const) admins[id] = await signIn(servers[id].url);
    webhooks = await startWebhookReceiver();
    const key = servers.a.keys[SERVICE]!;

    // The SDK service reaches the servers through a balancer that, for now, sends everything to C.
    proxy = await startRoundRobinProxy([Number(new URL(servers.c.url).port)]);
    sdk = await startSdkService({ PANEL_URL: proxy.url, PANEL_API_KEY: key, SERVICE, BREAKER, INSTANCE: 'sdk-on-c', REPORT_INTERVAL_MS: '200' });
    // HTTP reporters in Python, one polling B and one polling A.
    pythons.push(startPythonReporter({ PANEL_URL: servers.b.url, PANEL_API_KEY: key, SERVICE, INSTANCE_ID: 'python-on-b', BREAKER }));
    pythons.push(startPythonReporter({ PANEL_URL: servers.a.url, PANEL_API_KEY: key, SERVICE, INSTANCE_ID: 'python-on-a', BREAKER }));
    await eventually(
      () => Promise.resolve(pythons.map((python) => python.lines.some((line) => line.event === 'registered'))),
      (all) => all.every(Boolean),
      'both Python reporters registering',
    );
    const rows = await database.query<{ id: string }>(`SELECT b.id FROM breakers b JOIN services s ON s.id = b.service_id WHERE s.name = $1 AND b.name = $2`, [SERVICE, BREAKER]);
    breakerId = rows[0]!.id;
    // Every instance's pair is stored (the flusher writes it within FLUSH_INTERVAL_MS) before actions look for targets.
    await eventually(
      () => database.query<{ count: string }>('SELECT count(*) FROM breaker_instance_states WHERE breaker_id = $1', [breakerId]),
      (result) => result[0]!.count === '3',
      'three instances stored',
    );
  }, 240_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all(pythons.map((python) => python.stop()));
    await sdk?.stop();
    await Promise.all([...Object.values(servers), ...late].map((server) => server.stop()));
    await proxy?.close();
    await webhooks?.close();
    await database?.drop();
  }, 60_000);

  it('registers each server in the servers table, all alive', async () => {
    const rows = await database.query<{ id: string; alive: boolean }>(`SELECT id, heartbeat_at > now() - interval '1 second' AS alive FROM servers ORDER BY id`);
    expect(rows).toEqual([
      { id: 'server-a', alive: true },
      { id: 'server-b', alive: true },
      { id: 'server-c', alive: true },
    ]);
  });

  it('shows one merged view of a breaker whose instances report to three servers, the same on every server', async () => {
    // The SDK service's calls (fifty a second) paused: the Python reporters' two a second leave moments when no count is on its way.
    sdk.setMode('paused');
    const details = await eventually(
      () => detailsOn(IDS, breakerId),
      (views) => views.every((view) => view.breaker.instances.total === 3 && view.breaker.instances.stale === 0) && agree(views.map((view) => view.breaker)),
      'A, B and C agreeing on the three instances',
    ).finally(() => sdk.setMode('healthy'));
    for (const detail of details) {
      expect(detail.breaker.instances.byState.CLOSED).toBe(3);
      expect(detail.breaker.state).toBe('CLOSED');
      // The instances of every server, each once, with how each reaches its own server.
      expect(detail.instances.map((instance) => [instance.name, instance.client.transport])).toEqual([
        ['python-on-a', 'http'],
        ['python-on-b', 'http'],
        ['sdk-on-c', 'socket'],
      ]);
      expect(detail.breaker.clients.httpInstances).toBe(2);
      // Every reporter's calls succeed, in 2 ms for the Python ones: the merged latencies hold calls from all three servers.
      expect(detail.breaker.rates.failureRate).toBe(0);
      expect(detail.breaker.rates.p50Ms).not.toBeNull();
    }
    // The overview lists the breaker once on every server, merged.
    for (const id of IDS) {
      const list = await admins[id].getJson<TBreakerList>(`/api/v1/breakers?service=${SERVICE}`);
      expect(list.breakers.filter((breaker) => breaker.name === BREAKER).map((breaker) => breaker.instances.total)).toEqual([3]);
    }
    // A dashboard's snapshot is the merged view too (its live updates: the next test).
    for (const id of IDS) {
      const dashboard = admins[id].connectDashboard({ reconnection: false });
      sockets.push(dashboard);
      const answer = (await dashboard.emitWithAck('live:subscribe', { scope: { kind: 'breaker', breakerId } })) as { ok: boolean; data: TLiveSnapshot };
      expect(answer.data.breakers[0]!.instances.total).toBe(3);
      expect(answer.data.instances!.map((instance) => instance.name)).toEqual(['python-on-a', 'python-on-b', 'sdk-on-c']);
      dashboard.disconnect();
    }
  });

  it('announces a trip seen by instances on two servers once, from the merged view', async () => {
    const ledger = 'ledger-api';
    const endpoint = await admins.a.request('/api/v1/notifications/endpoints', {
      method: 'POST',
      body: { name: 'trips', url: webhooks.url('/trips'), events: ['breaker.tripped', 'breaker.recovered'], services: [SERVICE] },
    });
    expect(endpoint.status).toBe(201);
    const key = servers.a.keys[SERVICE]!;
    // One after another: three Node processes compiling at once on a busy machine can take longer than a registration may.
    const ledgers: SdkServiceProcess[] = [];
    try {
      for (const id of IDS) ledgers.push(await startSdkService({ PANEL_URL: servers[id].url, PANEL_API_KEY: key, SERVICE, BREAKER: ledger, INSTANCE: `ledger-on-${id}`, REPORT_INTERVAL_MS: '200' }));
      const ledgerId = (await database.query<{ id: string }>(`SELECT id FROM breakers WHERE name = $1`, [ledger]))[0]!.id;
      await eventually(
        () => detailsOn(IDS, ledgerId),
        (views) => views.every((view) => view.breaker.instances.byState.CLOSED === 3),
        'every server showing the three ledger instances closed',
      );
      // A dashboard on C, whose own instance stays closed: the trip on A and B reaches it live.
      const dashboard = admins.c.connectDashboard({ reconnection: false });
      sockets.push(dashboard);
      const pushed: TBreakerSummary[] = [];
      dashboard.on('breakers:changed', (change: { breakers: TBreakerSummary[] }) => pushed.push(...change.breakers.filter((breaker) => breaker.id === ledgerId)));
      expect(((await dashboard.emitWithAck('live:subscribe', { scope: { kind: 'service', service: SERVICE } })) as { ok: boolean }).ok).toBe(true);
      // Every server's notifier has read the new endpoint (NOTIFY_EVALUATE_INTERVAL_MS) before the trip.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const marks = ledgers.map((service) => service.mark());
      ledgers[0]!.setMode('failing');
      ledgers[1]!.setMode('failing');
      await Promise.all([ledgers[0]!.waitForState('OPEN', 15_000, marks[0]), ledgers[1]!.waitForState('OPEN', 15_000, marks[1])]);
      const twoOfThreeOpen = (view: TBreakerDetail) => view.breaker.instances.byState.OPEN + view.breaker.instances.byState.HALF_OPEN === 2 && view.breaker.instances.byState.CLOSED === 1;
      await eventually(
        () => detailsOn(IDS, ledgerId),
        (views) => views.every(twoOfThreeOpen),
        'every server showing two of three ledger instances open',
      );
      await eventually(
        () => Promise.resolve(pushed),
        (summaries) => summaries.some((summary) => summary.instances.byState.OPEN + summary.instances.byState.HALF_OPEN === 2 && summary.instances.total === 3),
        'the dashboard on C told of two of three instances open',
      );
      // Paused, the open breakers wait half-open for a trial and the counts stop moving: every server shows the same.
      for (const service of ledgers) service.setMode('paused');
      const tripped = await eventually(
        () => detailsOn(IDS, ledgerId),
        (views) => views.every(twoOfThreeOpen) && agree(views.map((view) => view.breaker)),
        'every server showing the same two of three ledger instances open',
      );
      // A's instance fails every call, C's none: the merged failure rate is neither, and the same everywhere.
      expect(tripped[0]!.breaker.rates.failureRate).toBeGreaterThan(0);
      expect(tripped[0]!.breaker.rates.failureRate).toBeLessThan(100);

      const hooks = (type: string) =>
        webhooks.received
          .filter((hook) => hook.path === '/trips')
          .map((hook) => JSON.parse(hook.body) as { type: string; breaker: { id: string }; instances: { total: number }; cause?: string | null })
          .filter((event) => event.type === type && event.breaker.id === ledgerId);
      await eventually(
        () => Promise.resolve(hooks('breaker.tripped')),
        (events) => events.length > 0,
        'the tripped notification',
      );
      // Time for a second server to send its own, as each did before the views were merged.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(hooks('breaker.tripped')).toHaveLength(1);
      expect(hooks('breaker.tripped')[0]!.instances.total).toBe(3);
      // Whichever server sent it, the event carries the cause the instances reported.
      expect(hooks('breaker.tripped')[0]!.cause).toBe('failure_rate');

      for (const service of ledgers) service.setMode('healthy');
      await eventually(
        () => detailsOn(IDS, ledgerId),
        (views) => views.every((view) => view.breaker.state === 'CLOSED' && view.breaker.instances.byState.CLOSED === 3),
        'every server showing the ledger closed again',
      );
      await eventually(
        () => Promise.resolve(hooks('breaker.recovered')),
        (events) => events.length > 0,
        'the recovered notification',
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(hooks('breaker.recovered')).toHaveLength(1);
      expect(hooks('breaker.tripped')).toHaveLength(1);
    } finally {
      await Promise.all(ledgers.map((service) => service.stop()));
    }
  }, 120_000);

  it('delivers an action issued on A to the SDK instance on C and the HTTP reporter polling B, sends its notification once, and expires it once', async () => {
    const endpoint = await admins.a.request('/api/v1/notifications/endpoints', {
      method: 'POST',
      body: { name: 'cluster hook', url: webhooks.url('/hook'), events: ['breaker.overridden', 'breaker.override_ended'], services: [] },
    });
    expect(endpoint.status).toBe(201);
    // A dashboard on B, watching the breaker: it hears of what happens on A and C.
    const dashboard = admins.b.connectDashboard();
    sockets.push(dashboard);
    const transitions: TTransitionRecord[] = [];
    const deliveries: TDelivery[] = [];
    dashboard.on('transition:new', (record: TTransitionRecord) => transitions.push(record));
    dashboard.on('delivery:changed', (delivery: TDelivery) => deliveries.push(delivery));
    expect(((await dashboard.emitWithAck('live:subscribe', { scope: { kind: 'breaker', breakerId } })) as { ok: boolean }).ok).toBe(true);

    const since = sdk.mark();
    const issued = await admins.a.request(`/api/v1/breakers/${breakerId}/actions`, { method: 'POST', body: { action: 'trip', scope: { all: true }, reason: 'cluster test', expiresIn: 10 } });
    expect(issued.status).toBe(201);
    const { commandId } = (await issued.json()) as { commandId: string };

    await sdk.waitForState('FORCED_OPEN', 10_000, since);
    await eventually(
      () => Promise.resolve(pythons[0]!.lines.filter((line) => line.event === 'applied' && line.commandId === commandId).length),
      (count) => count === 1,
      'the reporter on B applying the command',
    );

    // Every server shows every instance's delivery applied.
    for (const id of ['a', 'b', 'c'] as const) {
      const control = await eventually(
        () => admins[id].getJson<{ lastCommand: { id: string; deliveries: TDelivery[] } | null }>(`/api/v1/breakers/${breakerId}/control`),
        (view) => view.lastCommand?.id === commandId && view.lastCommand.deliveries.length === 3 && view.lastCommand.deliveries.every((delivery) => delivery.status === 'applied'),
        `server ${id} showing three applied deliveries`,
      );
      expect(control.lastCommand!.deliveries.map((delivery) => delivery.instance).sort()).toEqual(['python-on-a', 'python-on-b', 'sdk-on-c']);
    }
    // The dashboard on B heard of the action taken on A and of the acknowledgement stored by C.
    expect(transitions.some((record) => record.cause === 'manual' && record.to === 'FORCED_OPEN')).toBe(true);
    await eventually(
      () => Promise.resolve(deliveries),
      (seen) => seen.some((delivery) => delivery.instance === 'sdk-on-c' && delivery.status === 'applied'),
      'the dashboard on B seeing the delivery to C applied',
    );

    // One override, expired once, not once per server.
    await eventually(
      () => database.query<{ cause: string }>(`SELECT cause FROM transitions WHERE breaker_id = $1 AND instance_id IS NULL ORDER BY id`, [breakerId]),
      (rows) => rows.length === 2,
      'the override expiring',
      20_000,
    ).then((rows) => expect(rows.map((row) => row.cause)).toEqual(['manual', 'override_expired']));
    await new Promise((resolve) => setTimeout(resolve, 3 * HEARTBEAT_MS + 1_500));
    const kinds = webhooks.received.filter((hook) => hook.path === '/hook').map((hook) => (JSON.parse(hook.body) as { type: string }).type);
    expect(kinds.sort()).toEqual(['breaker.overridden', 'breaker.override_ended']);
  }, 90_000);

  it('runs a cluster job once per period, not once per server', async () => {
    const runs = async () => Number((await database.query<{ runs: string }>(`SELECT runs::text FROM cluster_leases WHERE name = 'cluster-maintenance'`))[0]!.runs);
    const before = await runs();
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const periods = (Date.now() - startedAt) / HEARTBEAT_MS;
    const ran = (await runs()) - before;
    expect(ran).toBeGreaterThan(0);
    // Three servers each running it would make three times as many.
    expect(ran).toBeLessThanOrEqual(Math.ceil(periods) + 1);
  });

  it('refuses a revoked API key and a signed-out session on every server at once', async () => {
    const created = await admins.a.request('/api/v1/api-keys', { method: 'POST', body: { service: 'ledger' } });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as TCreatedApiKey;
    const poll = (server: PanelProcess) => fetch(`${server.url}/api/v1/commands?instanceId=x&runId=y&waitMs=0`, { headers: { authorization: `Bearer ${key}` } }).then((response) => response.status);
    for (const server of Object.values(servers)) expect(await poll(server)).not.toBe(401);
    expect((await admins.c.request(`/api/v1/api-keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    for (const server of Object.values(servers)) expect(await poll(server)).toBe(401);

    const viewer = await signIn(servers.b.url);
    for (const server of Object.values(servers)) expect((await fetch(`${server.url}/api/v1/auth/session`, { headers: { cookie: viewer.cookie } })).status).toBe(200);
    expect((await viewer.request('/api/v1/auth/sign-out', { method: 'POST' })).status).toBeLessThan(300);
    for (const server of Object.values(servers)) expect((await fetch(`${server.url}/api/v1/auth/session`, { headers: { cookie: viewer.cookie } })).status).toBe(401);
  });

  it('counts failed sign-ins on every server together', async () => {
    const attempt = (server: PanelProcess) =>
      fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'guess@example.test', password: 'not the password' }),
      }).then((response) => response.status);
    // SIGN_IN_MAX_FAILURES (5) failures from one address on one account are allowed; the waits after them double from 1 s.
    // Twelve guesses spread over three servers are four per server: counted per server, none would ever be refused.
    const statuses: number[] = [];
    for (let i = 0; i < 12 && !statuses.includes(429); i += 1) statuses.push(await attempt(servers[(['a', 'b', 'c'] as const)[i % 3]!]));
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
  });

  it('stops handing out a command on every server once an HTTP reporter acknowledged it on one', async () => {
    const key = servers.a.keys[SERVICE]!;
    const run = instanceRun(SERVICE, 'http-on-a-and-b');
    const post = (server: PanelProcess, body: object) =>
      fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { ok: boolean; data?: { commands: Array<{ id: string; breaker: string }> } },
      }));
    const poll = async (server: PanelProcess) => {
      const response = await fetch(`${server.url}/api/v1/commands?instanceId=http-on-a-and-b&waitMs=0`, { headers: { authorization: `Bearer ${key}` } });
      const body = (await response.json()) as { ok: boolean; data?: { commands: Array<{ id: string }> } };
      return body.data?.commands.map((command) => command.id) ?? [];
    };
    // A balancer spreads this HTTP reporter's requests over A and B; it polls both all along, as a reporter polls all the time.
    for (const server of [servers.a, servers.b])
      expect((await post(server, { protocolVersion: run.ref.protocolVersion, register: run.register([BREAKER]), reports: [run.report([run.breaker(BREAKER, {})])] })).status).toBe(200);
    const latest = { a: [] as string[], b: [] as string[] };
    let polling = true;
    const pollingDone = (async () => {
      while (polling) {
        [latest.a, latest.b] = await Promise.all([poll(servers.a), poll(servers.b)]);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    try {
      const instanceIds = await eventually(
        () => database.query<{ id: string }>(`SELECT i.id FROM instances i JOIN breaker_instance_states p ON p.instance_id = i.id WHERE i.name = 'http-on-a-and-b'`),
        (rows) => rows.length === 1,
        'the instance stored',
      );
      expect(instanceIds).toHaveLength(1);

      // Issued on C, which does not hold it: A and B both queue it.
      const issued = await admins.c.request(`/api/v1/breakers/${breakerId}/actions`, {
        method: 'POST',
        body: { action: 'reset', scope: { instances: ['http-on-a-and-b'] }, reason: 'acknowledged once, forgotten everywhere' },
      });
      expect(issued.status).toBe(201);
      const { commandId } = (await issued.json()) as { commandId: string };
      await eventually(
        () => Promise.resolve([latest.a, latest.b]),
        (lists) => lists.every((list) => list.includes(commandId)),
        'A and B handing the command out',
      );

      const acked = await post(servers.b, {
        protocolVersion: run.ref.protocolVersion,
        reports: [run.report([run.breaker(BREAKER, {})])],
        commandAcks: [{ ...run.ref, commandId, breaker: BREAKER, status: 'applied', state: 'CLOSED', reason: null, duplicate: false, at: Date.now() }],
      });
      expect(acked.status).toBe(200);
      // Without being told, A would hand it out again on every poll until the reporter acknowledged it there too.
      await eventually(
        () => poll(servers.a),
        (list) => !list.includes(commandId),
        'A forgetting the command acknowledged on B',
        5_000,
      );
      const control = await admins.a.getJson<{ lastCommand: { id: string; deliveries: TDelivery[] } | null }>(`/api/v1/breakers/${breakerId}/control`);
      expect(control.lastCommand?.deliveries.map((delivery) => [delivery.instance, delivery.status])).toEqual([['http-on-a-and-b', 'applied']]);
    } finally {
      polling = false;
      await pollingDone;
    }
  });

  it('moves the reporters of a server killed with -9 to the others, shows its instances stale until they report again, and the others count it dead', async () => {
    // An HTTP reporter that reaches C through a balancer of its own: after the kill it has nowhere to go until it is pointed at A.
    const toC = await startRoundRobinProxy([Number(new URL(servers.c.url).port)]);
    const pythonOnC = startPythonReporter({ PANEL_URL: toC.url, PANEL_API_KEY: servers.a.keys[SERVICE]!, SERVICE, INSTANCE_ID: 'python-on-c', BREAKER });
    pythons.push(pythonOnC);
    try {
      await eventually(
        () => detailsOn(IDS, breakerId),
        (views) => views.every((view) => view.instances.some((instance) => instance.name === 'python-on-c' && !instance.stale)),
        'every server showing python-on-c live',
      );
      const totalBefore = (await detailOn('a', breakerId)).breaker.instances.total;

      proxy.setBackends([servers.a, servers.b, servers.c].map((server) => Number(new URL(server.url).port)));
      const registered = new Promise<void>((resolve) => sdk.child.on('message', (message: { event?: string }) => message.event === 'registered' && resolve()));
      await servers.c.kill();
      await registered;
      // Once C is dead to them, A and B show its instance stale (never in a state), counted once.
      const stale = await eventually(
        () => detailsOn(['a', 'b'], breakerId),
        (views) => views.every((view) => view.instances.some((instance) => instance.name === 'python-on-c' && instance.stale)),
        'A and B showing python-on-c stale',
      );
      for (const view of stale) {
        expect(view.breaker.instances.stale).toBe(view.instances.filter((instance) => instance.stale).length);
        expect(view.breaker.instances.total).toBe(totalBefore);
        expect(view.instances.filter((instance) => instance.name === 'python-on-c')).toHaveLength(1);
      }
      // The reporter reaches A now: it registers there and is live again everywhere, still once.
      toC.setBackends([Number(new URL(servers.a.url).port)]);
      const back = await eventually(
        () => detailsOn(['a', 'b'], breakerId),
        (views) => views.every((view) => view.instances.some((instance) => instance.name === 'python-on-c' && !instance.stale)),
        'A and B showing python-on-c live again',
      );
      for (const view of back) {
        expect(view.breaker.instances.total).toBe(totalBefore);
        expect(view.breaker.instances.stale).toBe(view.instances.filter((instance) => instance.stale).length);
        expect(new Set(view.instances.map((instance) => instance.name)).size).toBe(view.instances.length);
      }
    } finally {
      await pythonOnC.stop();
      await toC.close();
    }
    // The SDK instance reports to A or B now.
    await eventually(
      () => Promise.all([admins.a, admins.b].map((admin) => admin.getJson<{ instances: Array<{ name: string; stale: boolean }> }>(`/api/v1/breakers/${breakerId}`))),
      (views) => views.some((view) => view.instances.some((instance) => instance.name === 'sdk-on-c' && !instance.stale)),
      'the SDK instance live on A or B',
    );
    // C's last heartbeat ages out after three intervals, which may be after its reporters moved.
    const rows = await eventually(
      () => database.query<{ id: string; alive: boolean }>(`SELECT id, heartbeat_at > now() - make_interval(secs => $1) AS alive FROM servers ORDER BY id`, [(3 * HEARTBEAT_MS) / 1000]),
      (found) => found.some((row) => row.id === 'server-c' && !row.alive),
      'C counted dead',
    );
    expect(rows).toEqual([
      { id: 'server-a', alive: true },
      { id: 'server-b', alive: true },
      { id: 'server-c', alive: false },
    ]);
  }, 60_000);

  it('gives a server that joins, or restarts under the same id, the whole picture at once, though no instance reports to it', async () => {
    // A new server, and C again under its SERVER_ID (as in deploy/compose.yaml), on a port of its own: the balancers still find the old one dead.
    const [joined, restarted] = await Promise.all([start('d'), start('c')]);
    late.push(joined, restarted);
    const clients = [admins.a, admins.b, await signIn(joined.url), await signIn(restarted.url)];
    for (const breaker of [breakerId, (await database.query<{ id: string }>(`SELECT id FROM breakers WHERE name = 'ledger-api'`))[0]!.id]) {
      const views = await eventually(
        () => Promise.all(clients.map((client) => client.getJson<TBreakerDetail>(`/api/v1/breakers/${breaker}`))),
        (found) => agree(found.map((view) => view.breaker)),
        'D and the restarted C agreeing with A and B',
        5_000,
      );
      for (const view of views.slice(2)) expect(view.instances.map((instance) => instance.name)).toEqual(views[0]!.instances.map((instance) => instance.name));
      if (breaker === breakerId)
        expect(views[2]!.instances.filter((instance) => !instance.stale).map((instance) => instance.name)).toEqual(expect.arrayContaining(['python-on-a', 'python-on-b', 'sdk-on-c']));
      // The ledger instance on C stopped before C was killed: stale everywhere, once, after C's restart too.
      else expect(views.map((view) => view.instances.filter((instance) => instance.name === 'ledger-on-c').map((instance) => instance.stale))).toEqual(views.map(() => [true]));
    }
  }, 60_000);

  // nginx is not part of the toolchain; where it is installed, deploy/nginx.conf itself balances the servers left.
  it.skipIf(!nginx)(
    'serves reporters and dashboards through deploy/nginx.conf, skipping the dead server',
    async () => {
      const balancer = await startNginxBalancer(
        nginx!,
        [servers.a, servers.b, servers.c].map((server) => Number(new URL(server.url).port)),
      );
      const extra: SdkServiceProcess[] = [];
      try {
        for (let i = 0; i < 3; i += 1)
          extra.push(await startSdkService({ PANEL_URL: balancer.url, PANEL_API_KEY: servers.a.keys[SERVICE]!, SERVICE, BREAKER, INSTANCE: `via-nginx-${i}`, REPORT_INTERVAL_MS: '200' }));
        // Round robin over A and B (C is dead); each shows all three, wherever they landed.
        await eventually(
          () => Promise.all([admins.a, admins.b].map((admin) => admin.getJson<{ instances: Array<{ name: string; stale: boolean }> }>(`/api/v1/breakers/${breakerId}`))),
          (seen) => seen.every((view) => view.instances.filter((instance) => instance.name.startsWith('via-nginx-') && !instance.stale).length === 3),
          'three SDK instances live behind nginx, on A and on B',
        );
        // Each of A and B holds some of them: their batches of parts name the instances they hold (a row's setting comes with its first batch, and again in every whole one).
        const batches = await database.query<{ server_id: string; body: string }>(`SELECT server_id, body FROM cluster_part_batches WHERE server_id IN ('server-a', 'server-b')`);
        const held = ['server-a', 'server-b'].map((server) => ({
          server,
          names: batches
            .filter((row) => row.server_id === server)
            .flatMap((row) => (JSON.parse(row.body) as TPartBatch).parts)
            .filter((entry) => entry[0] === breakerId)
            .flatMap((entry) => (entry.length === 6 ? entry[3] : []))
            .flatMap((row) => (row[9]?.[0].startsWith('via-nginx-') ? [row[9][0]] : [])),
        }));
        expect(held.map((row) => row.names.length > 0)).toEqual([true, true]);
        // A dashboard through nginx, on the session made on A.
        const throughNginx = io(`${balancer.url}/dashboard`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admins.a.cookie } });
        sockets.push(throughNginx);
        expect(((await throughNginx.emitWithAck('live:subscribe', { scope: { kind: 'all' } })) as { ok: boolean }).ok).toBe(true);
        throughNginx.disconnect();
      } finally {
        await Promise.all(extra.map((service) => service.stop()));
        await balancer.close();
      }
    },
    90_000,
  );
});
