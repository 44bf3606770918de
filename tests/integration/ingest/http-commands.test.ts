import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail.js';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import type { TDelivery, TOverrideView } from '../../../lib/control/operator-action.js';
import type { TAck } from '../../../lib/protocol/ack.js';
import type { TCommandPollResult } from '../../../lib/protocol/command-poll.js';
import type { TCommand } from '../../../lib/protocol/command.js';
import type { TReportBatch, TReportBatchResult } from '../../../lib/protocol/report-batch.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { startTestPanel } from '../../fixtures/panel';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { instanceRun } from '../../fixtures/protocol-messages';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';
import { startPythonReporter } from '../../fixtures/python-reporter';
import { createEmptyDatabase } from '../../fixtures/test-database';

const BREAKER = 'ledger-api';
// How long a condition may take to come true before the test fails: long, since waiting ends as soon as it is true.
const UNTIL = { timeout: 15_000, interval: 50 };

const stateAfter = (command: TCommand) => (command.action === 'trip' ? 'FORCED_OPEN' : command.action === 'force_closed' ? 'FORCED_CLOSED' : 'CLOSED');

describe('commands over HTTP', () => {
  // Reporters here post when the test says so: a stale window of a minute keeps each one reachable between two
  // of its posts however slowly a busy machine runs the steps in between (three intervals of 500 ms did not).
  const setup = usePanelOnFreshDatabase({ REPORT_INTERVAL_MS: '20000' });
  let key: string;
  let otherKey: string;
  let admin: SignedInClient;

  beforeAll(async () => {
    const keys = createApiKeys({ prisma: setup.panel.prisma, now: Date.now });
    key = (await keys.create('ledger')).key;
    otherKey = (await keys.create('billing')).key;
    admin = await signIn(setup.panel.url);
  });

  const post = async (body: TReportBatch, apiKey = key) => {
    const response = await fetch(`${setup.panel.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as TAck<TReportBatchResult> };
  };
  const poll = async (query: string, apiKey = key) => {
    const response = await fetch(`${setup.panel.url}/api/v1/commands?${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
    return { status: response.status, body: (await response.json()) as TAck<TCommandPollResult> };
  };
  const commandsOf = (answer: { body: TAck<TReportBatchResult | TCommandPollResult> }) => {
    if (!answer.body.ok) throw new Error(`refused: ${answer.body.error.message}`);
    return answer.body.data.commands;
  };

  /** An HTTP reporter's run, posting the way docs/protocol.md says. */
  function reporter(name: string) {
    const run = instanceRun('ledger', name);
    return {
      run,
      register: () => post({ protocolVersion: 1, register: run.register([BREAKER]), reports: [run.report([run.breaker(BREAKER, { success: 1 })])] }),
      report: (acks: TCommand[] = []) =>
        post({
          protocolVersion: 1,
          reports: [run.report([run.breaker(BREAKER, { success: 1 })])],
          commandAcks: acks.map((command) => ({
            ...run.ref,
            commandId: command.id,
            breaker: command.breaker,
            status: 'applied' as const,
            state: stateAfter(command),
            reason: null,
            duplicate: false,
            at: Date.now(),
          })),
        }),
    };
  }

  const breakerId = async () => (await admin.getJson<TBreakerList>('/api/v1/breakers?service=ledger')).breakers.find((breaker) => breaker.name === BREAKER)!.id;
  const act = async (action: string) => {
    const response = await admin.request(`/api/v1/breakers/${await breakerId()}/actions`, { method: 'POST', body: { action, scope: { all: true }, reason: `${action} for the HTTP test` } });
    expect(response.status).toBe(201);
    return ((await response.json()) as { commandId: string }).commandId;
  };
  const deliveries = async () =>
    (await admin.getJson<{ override: TOverrideView | null; lastCommand: { id: string; deliveries: TDelivery[] } | null }>(`/api/v1/breakers/${await breakerId()}/control`)).lastCommand!.deliveries.map(
      (delivery) => `${delivery.instance}:${delivery.status}${delivery.state ? `:${delivery.state}` : ''}`,
    );

  it('hands a command out in the answer to the next batch (pending, then sent), and marks it applied once acknowledged', async () => {
    const web = reporter('http-1');
    expect(commandsOf(await web.register())).toEqual([]);
    const [instance] = (await admin.getJson<TBreakerDetail>(`/api/v1/breakers/${await breakerId()}`)).instances;
    expect(instance!.client).toEqual({ kind: 'http', sdk: 'test typescript', transport: 'http', readOnly: false });
    const tripId = await act('trip');
    // Posting within the stale window: reachable, so the delivery waits to be fetched rather than being offline.
    expect(await deliveries()).toEqual(['http-1:pending']);

    const answer = commandsOf(await web.report());
    expect(answer).toMatchObject([{ id: tripId, action: 'trip', breaker: BREAKER, scope: { kind: 'service' }, reason: 'trip for the HTTP test', issuedBy: 'admin@example.test' }]);
    expect(await deliveries()).toEqual(['http-1:sent']);

    // Not acknowledged yet: the next answer carries it again (the reporter applies an id once).
    expect(commandsOf(await web.report()).map((command) => command.id)).toEqual([tripId]);
    expect(commandsOf(await web.report(answer))).toEqual([]);
    expect(await deliveries()).toEqual(['http-1:applied:FORCED_OPEN']);
    expect(commandsOf(await web.report())).toEqual([]);

    const releaseId = await act('release');
    const release = commandsOf(await web.report());
    expect(release.map((command) => [command.id, command.action])).toEqual([[releaseId, 'release']]);
    await web.report(release);
    expect(await deliveries()).toEqual(['http-1:applied:CLOSED']);
  });

  it('answers a long poll as soon as a command is issued, and with none when waitMs passes', async () => {
    const web = reporter('http-2');
    await web.register();
    const empty = await poll('instanceId=http-2&waitMs=200');
    expect(empty).toEqual({ status: 200, body: { ok: true, data: { commands: [] } } });

    const waiting = poll('instanceId=http-2&waitMs=30000');
    // The poll is parked on the server before the operator acts, so that the command wakes it.
    await expect.poll(() => setup.panel.pipeline.httpCommands.stats().waiting, UNTIL).toBe(1);
    const tripId = await act('trip');
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(commandsOf(answered).map((command) => [command.id, command.action])).toEqual([[tripId, 'trip']]);
    await expect.poll(deliveries, UNTIL).toContain('http-2:sent');

    // Handed out and not acknowledged: a new poll waits rather than spinning on the same command.
    const again = poll('instanceId=http-2&waitMs=300');
    await web.report(commandsOf(answered));
    expect(commandsOf(await again)).toEqual([]);
    await expect.poll(deliveries, UNTIL).toContain('http-2:applied:FORCED_OPEN');
    await act('release');
    await web.report(commandsOf(await web.report()));
  });

  it('sends the override in force again to a new run, and not again to a run that acknowledged it', async () => {
    const first = reporter('http-3');
    await first.register();
    const tripId = await act('trip');
    const trip = commandsOf(await first.report());
    expect(trip.map((command) => command.id)).toEqual([tripId]);
    await first.report(trip);

    // The same run registering again (its breakers changed) applied it already.
    expect(commandsOf(await first.register())).toEqual([]);

    const restarted = reporter('http-3');
    const redelivered = commandsOf(await restarted.register());
    expect(redelivered.map((command) => [command.id, command.action])).toEqual([[tripId, 'trip']]);
    await restarted.report(redelivered);
    expect(await deliveries()).toContain('http-3:applied:FORCED_OPEN');
    await act('release');
  });

  it('refuses a bad poll with 400 naming the field, an unknown instance with 409, another service with 403, a bad key with 401', async () => {
    await reporter('http-4').register();
    for (const [query, field] of [
      ['waitMs=100', 'instanceId'],
      ['instanceId=http-4&waitMs=abc', 'waitMs'],
      ['instanceId=http-4&waitMs=30001', 'waitMs'],
      ['instanceId=http-4&waitMs=-1', 'waitMs'],
      ['instanceId=&waitMs=0', 'instanceId'],
    ] as const) {
      const refused = await poll(query);
      expect(refused.status, query).toBe(400);
      expect(refused.body, query).toMatchObject({ ok: false, error: { code: 'invalid_payload', path: [field] } });
    }
    expect(await poll('instanceId=nobody&waitMs=0')).toMatchObject({ status: 409, body: { ok: false, error: { code: 'not_registered', path: ['instanceId'] } } });
    expect(await poll('instanceId=http-4&waitMs=0', otherKey)).toMatchObject({ status: 403, body: { ok: false, error: { code: 'forbidden', path: ['instanceId'] } } });
    expect(await poll('instanceId=http-4&waitMs=0', 'bp_not-a-key')).toMatchObject({ status: 401, body: { ok: false, error: { code: 'unauthorized' } } });
  });

  it('ends a waiting long poll with 401 when its key is revoked', async () => {
    const keys = createApiKeys({ prisma: setup.panel.prisma, now: Date.now });
    const revocable = await keys.create('ledger');
    await reporter('http-5').register();
    const waiting = poll('instanceId=http-5&waitMs=30000', revocable.key);
    await expect.poll(() => setup.panel.pipeline.httpCommands.stats().waiting, UNTIL).toBe(1);
    await keys.revoke(revocable.id);
    expect(await waiting).toMatchObject({ status: 401, body: { ok: false, error: { code: 'unauthorized' } } });
  });

  it('answers waiting long polls at once when the server stops', async () => {
    const own = await createEmptyDatabase(inject('postgresAdminUrl'));
    const stopping = await startTestPanel({ DATABASE_URL: own.url });
    try {
      const ownKey = (await createApiKeys({ prisma: stopping.prisma, now: Date.now }).create('ledger')).key;
      const run = instanceRun('ledger', 'http-6');
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${ownKey}` };
      await fetch(`${stopping.url}/api/v1/reports`, { method: 'POST', headers, body: JSON.stringify({ protocolVersion: 1, register: run.register([BREAKER]) }) });
      const waiting = fetch(`${stopping.url}/api/v1/commands?instanceId=http-6&waitMs=30000`, { headers });
      await expect.poll(() => stopping.pipeline.httpCommands.stats().waiting, UNTIL).toBe(1);
      await stopping.stop();
      expect(await (await waiting).json()).toEqual({ ok: true, data: { commands: [] } });
    } finally {
      await stopping.stop();
      await own.drop();
    }
  });

  describe('a reporter written from docs/protocol.md in Python', () => {
    const SERVICE = 'inventory';
    const reporters: Array<ReturnType<typeof startPythonReporter>> = [];
    let pythonKey: string;

    beforeAll(async () => {
      pythonKey = (await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create(SERVICE)).key;
    });
    afterAll(async () => {
      for (const reporter of reporters) await reporter.stop();
    });

    const start = async () => {
      const reporter = startPythonReporter({ PANEL_URL: setup.panel.url, PANEL_API_KEY: pythonKey, SERVICE, INSTANCE_ID: 'py-1', BREAKER: 'stock-api', LABELS: '{"zone":"eu-1"}' });
      reporters.push(reporter);
      await reporter.waitFor((line) => line.event === 'registered', 'that it registered');
      return reporter;
    };
    const stockApi = async () => (await admin.getJson<TBreakerList>(`/api/v1/breakers?service=${SERVICE}`)).breakers.find((breaker) => breaker.name === 'stock-api')!.id;
    const actOn = async (action: string) => {
      const response = await admin.request(`/api/v1/breakers/${await stockApi()}/actions`, { method: 'POST', body: { action, scope: { all: true }, reason: `${action} the Python reporter` } });
      expect(response.status).toBe(201);
      return ((await response.json()) as { commandId: string }).commandId;
    };
    const lastDelivery = async () => {
      const { lastCommand } = await admin.getJson<{ lastCommand: { deliveries: TDelivery[] } }>(`/api/v1/breakers/${await stockApi()}/control`);
      return lastCommand.deliveries.map((delivery) => `${delivery.instance}:${delivery.status}${delivery.state ? `:${delivery.state}` : ''}`);
    };
    const instanceState = async () => (await admin.getJson<TBreakerDetail>(`/api/v1/breakers/${await stockApi()}`)).instances.map((instance) => `${instance.name}:${instance.state}`);

    it('is tripped and released through the operator API, and a restarted run gets the override in force again', async () => {
      const first = await start();
      // The screens say which client this is and that it is reached over HTTP.
      const detail = await admin.getJson<TBreakerDetail>(`/api/v1/breakers/${await stockApi()}`);
      expect(detail.instances.map((instance) => instance.client)).toEqual([{ kind: 'python', sdk: 'breaker-panel-test-reporter python', transport: 'http', readOnly: false }]);
      expect(detail.breaker.clients).toEqual({ kinds: ['python'], httpInstances: 1 });

      const tripId = await actOn('trip');
      expect(await first.waitFor((line) => line.event === 'applied' && line.commandId === tripId, 'the trip')).toMatchObject({ action: 'trip', status: 'applied', state: 'FORCED_OPEN' });
      await expect.poll(lastDelivery, UNTIL).toEqual(['py-1:applied:FORCED_OPEN']);
      await expect.poll(instanceState, UNTIL).toEqual(['py-1:FORCED_OPEN']);

      const releaseId = await actOn('release');
      expect(await first.waitFor((line) => line.event === 'applied' && line.commandId === releaseId, 'the release')).toMatchObject({ action: 'release', status: 'applied', state: 'CLOSED' });
      await expect.poll(lastDelivery, UNTIL).toEqual(['py-1:applied:CLOSED']);
      await expect.poll(instanceState, UNTIL).toEqual(['py-1:CLOSED']);

      const again = await actOn('trip');
      await first.waitFor((line) => line.event === 'applied' && line.commandId === again, 'the second trip');
      await expect.poll(lastDelivery, UNTIL).toEqual(['py-1:applied:FORCED_OPEN']);
      await first.stop();

      // A new process: a new run, which knows nothing of the trip; the override in force comes back to it.
      const restarted = await start();
      expect(await restarted.waitFor((line) => line.event === 'applied' && line.commandId === again, 'the override in force, again')).toMatchObject({ action: 'trip', state: 'FORCED_OPEN' });
      await expect.poll(lastDelivery, UNTIL).toEqual(['py-1:applied:FORCED_OPEN']);
      await expect.poll(instanceState, UNTIL).toEqual(['py-1:FORCED_OPEN']);
      expect(restarted.lines.filter((line) => line.event === 'applied').map((line) => line.commandId)).toEqual([again]);
      await restarted.stop();
    });
  });
});
