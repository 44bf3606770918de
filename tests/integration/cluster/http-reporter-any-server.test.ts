import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPanelProcess, type PanelProcess } from '../../fixtures/panel-process';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';
import { freePort } from '../../fixtures/free-port';

const SERVICE = 'checkout';
const BREAKER = 'payments-api';
const INSTANCE = 'http-round-robin';

interface Answer {
  status: number;
  body: { ok: boolean; data?: { storedTransitions?: number[]; commands: unknown[] }; error?: { code: string } };
}

/**
 * An HTTP reporter written from docs/protocol.md alone (plain JSON, no
 * project code), behind a round-robin balancer: its batches and long polls
 * land on the servers in turn. It registers once, in the batch that happens
 * to reach the first server, and every later request is answered by
 * whichever server receives it.
 */
describe('an HTTP reporter whose requests alternate between servers', () => {
  let database: TestDatabase;
  const servers: PanelProcess[] = [];
  let admin: SignedInClient;
  let key: string;
  const runId = randomUUID();
  let sequence = 0;
  let transitionSequence = 0;
  const ref = { protocolVersion: 2, service: SERVICE, instanceId: INSTANCE, runId };

  const report = (state: 'CLOSED' | 'OPEN') => {
    sequence += 1;
    return {
      ...ref,
      sequence,
      sentAt: Date.now(),
      droppedTransitions: 0,
      breakers: [
        {
          name: BREAKER,
          state,
          wouldBe: state,
          override: null,
          counters: { success: 10 * sequence, failure: sequence, timeout: 0, rejected: 0, slow: 0, fallback: 0 },
          latency: { counts: [0, 0, 0, 11 * sequence], sumMs: 20 * sequence },
          window: { calls: 10, failureRate: 10, slowCallRate: 0 },
        },
      ],
    };
  };
  const transition = (from: string, to: string) => {
    transitionSequence += 1;
    return {
      ...ref,
      sequence: transitionSequence,
      breaker: BREAKER,
      from,
      to,
      wouldBe: to,
      at: Date.now(),
      cause: to === 'OPEN' ? 'failure_rate' : 'trials_succeeded',
      failureRate: 60,
      slowCallRate: 0,
      commandId: null,
    };
  };
  const post = async (server: PanelProcess, batch: object): Promise<Answer> => {
    const response = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ protocolVersion: 2, ...batch }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const poll = async (server: PanelProcess): Promise<Answer> => {
    const response = await fetch(`${server.url}/api/v1/commands?instanceId=${INSTANCE}&waitMs=0`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    const start = async (id: string, keyServices: string[] = []) =>
      startPanelProcess({ port: await freePort(), keyServices, env: { DATABASE_URL: database.url, CLUSTER: 'on', SERVER_ID: `server-${id}`, CLUSTER_HEARTBEAT_MS: '300' } });
    servers.push(await start('a', [SERVICE]));
    // B runs before the reporter registers: it has not seen the registration when the reporter's batches reach it.
    servers.push(await start('b'));
    key = servers[0]!.keys[SERVICE]!;
    admin = await signIn(servers[1]!.url);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  }, 60_000);

  it('is answered by every server after registering with one', async () => {
    const [a, b] = servers as [PanelProcess, PanelProcess];
    const registration = {
      ...ref,
      startedAt: Date.now(),
      labels: { zone: 'a' },
      sdk: { name: 'plain-http', version: '1.0.0', language: 'json' },
      breakers: [
        {
          name: BREAKER,
          config: {
            implementation: 'breaker-panel',
            window: { type: 'count', size: 100 },
            failureRateThreshold: 50,
            slowCallThresholdMs: 2000,
            slowCallRateThreshold: 100,
            minimumCalls: 10,
            openTimeoutMs: 30000,
            openTimeoutBackoff: { multiplier: 2, maxMs: 300000 },
            halfOpenMaxCalls: 1,
            callTimeoutMs: 3000,
            hasFallback: false,
          },
        },
      ],
    };
    const first = await post(a, { register: registration, reports: [report('CLOSED')] });
    expect(first).toMatchObject({ status: 200, body: { ok: true } });

    // Round robin: B, A, B, A… A batch to B carries no registration.
    const answers: Answer[] = [];
    const sentTransitions: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const server = i % 2 === 0 ? b : a;
      const opened = i % 2 === 0;
      const change = opened ? transition('CLOSED', 'OPEN') : transition('OPEN', 'CLOSED');
      sentTransitions.push(change.sequence);
      answers.push(await post(server, { reports: [report(opened ? 'OPEN' : 'CLOSED')], transitions: [change] }));
      answers.push(await poll(server === a ? b : a));
    }
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(answers.filter((_, index) => index % 2 === 0).flatMap((answer) => answer.body.data!.storedTransitions)).toEqual(sentTransitions);

    // Each transition is stored once, whichever server took it.
    const stored = await database.query<{ sequence: string }>(`SELECT t.sequence::text FROM transitions t JOIN instances i ON i.id = t.instance_id WHERE i.name = $1 ORDER BY t.sequence`, [INSTANCE]);
    expect(stored.map((row) => Number(row.sequence))).toEqual(sentTransitions);

    // B shows the instance once, live, in the state of its latest batch: the one A took (the views of the servers are merged).
    const breakers = await admin.getJson<{ breakers: Array<{ id: string; name: string; service: string }> }>('/api/v1/breakers');
    const breaker = breakers.breakers.find((candidate) => candidate.service === SERVICE && candidate.name === BREAKER)!;
    type Detail = { instances: Array<{ name: string; stale: boolean; state: string | null }> };
    let detail: Detail | undefined;
    // A's part of the view reaches B within a publishing interval (250 ms) or so.
    for (const until = Date.now() + 5_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 100))) {
      detail = await admin.getJson<Detail>(`/api/v1/breakers/${breaker.id}`);
      if (detail.instances[0]?.state === 'CLOSED') break;
    }
    expect(detail!.instances).toEqual([expect.objectContaining({ name: INSTANCE, stale: false, state: 'CLOSED' })]);
  });

  it('still refuses an instance no server has seen, naming it', async () => {
    const unknown = await fetch(`${servers[1]!.url}/api/v1/commands?instanceId=never-registered&waitMs=0`, { headers: { authorization: `Bearer ${key}` } });
    expect(unknown.status).toBe(409);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'not_registered', path: ['instanceId'] } });
    const batch = await post(servers[1]!, { reports: [{ ...report('CLOSED'), instanceId: 'never-registered' }] });
    expect(batch).toMatchObject({ status: 409, body: { ok: false, error: { code: 'not_registered' } } });
  });
});
