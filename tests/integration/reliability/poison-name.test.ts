import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TAck } from '../../../lib/protocol/ack.js';
import { connectPanel, createCircuitBreaker, type ReportableBreaker } from '../../../sdk/src/index.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { connectAgent, send, type AgentClient } from '../../fixtures/agent-client';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { instanceRun } from '../../fixtures/protocol-messages';
import { metricSample, storedService } from '../../fixtures/stored-counters';

const TOKEN = 'scrape-token-0123456789';
// A lone UTF-16 surrogate: JSON carries it (as \ud800), Postgres's UTF-8 cannot.
const POISON = 'p\uD800';

/** The error half of an acknowledgement, or a failure naming what came instead. */
function refusal(ack: TAck<unknown>) {
  if (ack.ok) throw new Error(`expected a refusal, got ${JSON.stringify(ack)}`);
  return ack.error;
}

describe('nothing a reporter sends can stop the panel', () => {
  // Flushes only when a test asks (pipeline.flush): each test decides what a flush holds.
  const setup = usePanelOnFreshDatabase({ METRICS_TOKEN: TOKEN, FLUSH_INTERVAL_MS: '3600000' });
  let keys: Record<'search' | 'checkout' | 'ledger' | 'billing' | 'sdk', string>;
  const agents: AgentClient[] = [];

  beforeAll(async () => {
    const api = createApiKeys({ prisma: setup.panel.prisma, now: Date.now });
    keys = {
      search: (await api.create('search')).key,
      checkout: (await api.create('checkout')).key,
      ledger: (await api.create('ledger')).key,
      billing: (await api.create('billing')).key,
      sdk: (await api.create('sdk-service')).key,
    };
  });
  afterAll(async () => {
    for (const agent of agents) agent.disconnect();
  });

  // Version 1 connections: their reports name every breaker, so a poison name can reach a report.
  const agent = async (key: string, version = 1) => {
    const connected = await connectAgent(setup.panel.url, key, version);
    agents.push(connected);
    return connected;
  };
  const post = (body: unknown) =>
    fetch(`${setup.panel.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.search}` }, body: JSON.stringify(body) });
  const httpRefusal = async (response: Response) => {
    const body = (await response.json()) as { error: { code: string; path: Array<string | number> } };
    return { status: response.status, code: body.error.code, path: body.error.path };
  };

  it('refuses a poison breaker name over HTTP and over the socket, naming the field, and stores another service exactly', async () => {
    const run = instanceRun('search');
    expect(await httpRefusal(await post({ protocolVersion: 1, register: run.register([POISON]) }))).toEqual({ status: 400, code: 'invalid_payload', path: ['register', 'breakers', 0, 'name'] });
    expect(await httpRefusal(await post({ protocolVersion: 1, register: run.register(['index-api']), reports: [run.report([run.breaker(POISON, { success: 1 })])] }))).toEqual({
      status: 400,
      code: 'invalid_payload',
      path: ['reports', 0, 'breakers', 0, 'name'],
    });
    expect(await httpRefusal(await post({ protocolVersion: 1, register: { ...run.register(['index-api']), instanceId: 'host\u00001' } }))).toEqual({
      status: 400,
      code: 'invalid_payload',
      path: ['register', 'instanceId'],
    });

    const checkout = instanceRun('checkout', undefined, undefined, 1);
    const socket = await agent(keys.checkout);
    expect(refusal(await send(socket, 'instance:register', checkout.register(['payments', POISON])))).toMatchObject({ code: 'invalid_payload', path: ['breakers', 1, 'name'] });
    expect(await send(socket, 'instance:register', checkout.register(['payments']))).toMatchObject({ ok: true });
    // A report with the poison name comes escaped (\ud800), and zod refuses it.
    expect(refusal(await send(socket, 'report:send', checkout.report([checkout.breaker('payments', { success: 1 }), checkout.breaker(POISON, { success: 1 })])))).toMatchObject({
      code: 'invalid_payload',
      path: ['breakers', 1, 'name'],
    });
    expect(refusal(await send(socket, 'report:send', { ...checkout.report([]), sentAt: 1e300 }))).toMatchObject({ code: 'invalid_payload', path: ['sentAt'] });
    // A version 2 connection's reports carry no names, and their numbers are checked the same way.
    const compactRun = instanceRun('checkout');
    const compactSocket = await agent(keys.checkout, 2);
    expect(await send(compactSocket, 'instance:register', compactRun.register(['payments']))).toMatchObject({ ok: true });
    expect(refusal(await send(compactSocket, 'report:send', { ...compactRun.compact([compactRun.breaker('payments', { success: 1 })]), sentAt: 1e300 }))).toMatchObject({
      code: 'invalid_payload',
      path: ['sentAt'],
    });
    expect(refusal(await send(socket, 'transition:report', checkout.transition(POISON, 'CLOSED', 'OPEN')))).toMatchObject({ code: 'invalid_payload', path: ['breaker'] });
    expect(refusal(await send(socket, 'transition:report', { ...checkout.transition('payments', 'CLOSED', 'OPEN'), at: 8.64e15 + 1 }))).toMatchObject({ code: 'invalid_payload', path: ['at'] });
    const ack = { ...checkout.ref, commandId: 'cmd\u0000', breaker: 'payments', status: 'applied', state: 'CLOSED', reason: null, duplicate: false, at: Date.now() };
    expect(refusal(await send(socket, 'command:ack', ack))).toMatchObject({ code: 'invalid_payload', path: ['commandId'] });

    // Another service, afterwards: its counters are stored exactly.
    const ledger = instanceRun('ledger', undefined, undefined, 1);
    const control = await agent(keys.ledger);
    expect(await send(control, 'instance:register', ledger.register(['accounts']))).toMatchObject({ ok: true });
    expect(await send(control, 'report:send', ledger.report([ledger.breaker('accounts', { success: 10, failure: 2 })]))).toEqual({ ok: true, data: null });
    expect(await send(control, 'report:send', ledger.report([ledger.breaker('accounts', { success: 25, failure: 3, slow: 1 })]))).toEqual({ ok: true, data: null });
    await setup.panel.pipeline.flush();
    expect((await storedService(setup.database, 'ledger')).counters).toEqual({ accounts: { success: 25, failure: 3, timeout: 0, rejected: 0, slow: 1, fallback: 0 } });
    // Nothing of the poison reached the catalog.
    expect(await setup.database.query(`SELECT name FROM breakers WHERE name LIKE '%' || chr(65533) || '%'`)).toEqual([]);
  });

  it('an SDK reporter leaves out a breaker whose name the panel would refuse, and its other breakers register and report', async () => {
    const good = createCircuitBreaker({ name: 'payments' });
    // A breaker of another implementation, not checked at construction.
    const poisoned: ReportableBreaker = {
      name: POISON,
      state: 'CLOSED',
      describe: () => good.describe(),
      stats: () => ({ ...good.stats(), name: POISON }),
      on: () => () => {},
      forceOpen: () => {},
      forceClosed: () => {},
      release: () => {},
      reset: () => {},
    };
    const reporter = connectPanel({ url: setup.panel.url, apiKey: keys.sdk, service: 'sdk-service', instance: 'web-1', reportInterval: 50 });
    const errors: string[] = [];
    reporter.on('error', (error) => errors.push(error.message));
    reporter.add(poisoned);
    reporter.add(good);
    try {
      await good.execute(async () => 'ok');
      await good.execute(async () => 'ok');
      await vi.waitFor(
        async () => {
          await setup.panel.pipeline.flush();
          expect((await storedService(setup.database, 'sdk-service')).counters).toEqual({ payments: { success: 2, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 } });
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(errors).toEqual(['Breaker "p\\ud800" is not reported: name: must be well-formed Unicode text without NUL characters']);
    } finally {
      await reporter.close(500);
    }
  });

  it('stores the rest of a flush the database refuses a row of, counts the dropped row, and never retries it', async () => {
    const dropped = async () => Number((await metricSample(setup.panel.url, TOKEN, 'breaker_panel_flush_rows_dropped_total', { table: 'breaker_instance_states' })) ?? 0);
    const before = await dropped();
    const billing = instanceRun('billing', undefined, undefined, 1);
    const ledger = instanceRun('ledger', undefined, undefined, 1);
    const billingAgent = await agent(keys.billing);
    const ledgerAgent = await agent(keys.ledger);
    expect(await send(billingAgent, 'instance:register', billing.register(['invoices', 'doomed']))).toMatchObject({ ok: true });
    expect(await send(ledgerAgent, 'instance:register', ledger.register(['journal']))).toMatchObject({ ok: true });
    expect(await send(billingAgent, 'report:send', billing.report([billing.breaker('invoices', { success: 7 }), billing.breaker('doomed', { failure: 4 }, 'OPEN')]))).toEqual({ ok: true, data: null });
    expect(await send(ledgerAgent, 'report:send', ledger.report([ledger.breaker('journal', { success: 3, timeout: 1 })]))).toEqual({ ok: true, data: null });

    // The breaker is deleted while the flush that holds its state is pending: its state row now breaks a foreign key.
    await setup.database.query(`DELETE FROM breakers WHERE name = 'doomed'`);
    await setup.panel.pipeline.flush();

    expect((await storedService(setup.database, 'ledger')).counters.journal).toEqual({ success: 3, failure: 0, timeout: 1, rejected: 0, slow: 0, fallback: 0 });
    expect((await storedService(setup.database, 'billing')).counters).toEqual({ invoices: { success: 7, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 } });
    const states = await setup.database.query<{ name: string; state: string }>(
      `SELECT b.name, s.state::text AS state FROM breaker_instance_states s JOIN breakers b ON b.id = s.breaker_id WHERE b.name IN ('invoices', 'journal') ORDER BY b.name`,
    );
    expect(states).toEqual([
      { name: 'invoices', state: 'CLOSED' },
      { name: 'journal', state: 'CLOSED' },
    ]);
    expect(await dropped()).toBe(before + 1);

    // Dropped, not given back: the next flush has nothing of it to refuse again.
    await setup.panel.pipeline.flush();
    expect(await dropped()).toBe(before + 1);
  });
});
