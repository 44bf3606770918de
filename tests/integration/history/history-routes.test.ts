import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import { episodesOf } from '../../../lib/history/episodes.js';
import type { THistoryExtent } from '../../../lib/history/extent.js';
import type { TIncidentList } from '../../../lib/history/incidents.js';
import type { TTimeline } from '../../../lib/history/timeline.js';
import type { TTransition } from '../../../lib/protocol/transition.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { connectAgent, send, type AgentClient } from '../../fixtures/agent-client';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { instanceRun } from '../../fixtures/protocol-messages';
import { signIn, signInAs, type SignedInClient } from '../../fixtures/signed-in';

interface ExportedTransition {
  id: string;
  at: number;
  breakerId: string;
  instance: string | null;
  from: string | null;
  to: string;
  cause: string;
  failureRate: number | null;
  slowCallRate: number | null;
}

describe('history API', () => {
  const setup = usePanelOnFreshDatabase({ REPORT_INTERVAL_MS: '200', STALE_AFTER_INTERVALS: '1000' });
  let key: string;
  let viewer: SignedInClient;
  let operator: SignedInClient & { email: string };
  const agents: AgentClient[] = [];
  // Reported history lies in the past; the operator's actions happen now.
  const base = Date.now() - 10 * 60_000;
  let from: number;
  let to: number;
  let id: string;

  /** A raw reporter that applies commands as the SDK does: acknowledges them and reports the resulting transition. */
  async function reporter(name: string, labels: Record<string, string>) {
    const run = instanceRun('checkout', name);
    const agent = await connectAgent(setup.panel.url, key);
    agents.push(agent);
    let state: 'CLOSED' | 'FORCED_OPEN' = 'CLOSED';
    agent.on('command:apply', (command) => {
      const next = command.action === 'trip' ? 'FORCED_OPEN' : 'CLOSED';
      const at = Date.now();
      const transition: TTransition = { ...run.transition(command.breaker, state, next, at), cause: 'command', commandId: command.id, failureRate: 0, slowCallRate: 0 };
      state = next;
      void send(agent, 'transition:report', transition)
        .then(() => send(agent, 'command:ack', { ...run.ref, commandId: command.id, breaker: command.breaker, status: 'applied', state: next, reason: null, duplicate: false, at }))
        .catch(() => undefined); // the socket may close at the end of the file
    });
    expect(await send(agent, 'instance:register', run.register(['payments-api'], labels))).toMatchObject({ ok: true });
    return { run, agent };
  }

  const get = <T>(path: string) => viewer.getJson<T>(path);

  beforeAll(async () => {
    key = (await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create('checkout')).key;
    const admin = await signIn(setup.panel.url);
    viewer = await signInAs(setup.panel.url, 'viewer', admin);
    operator = await signInAs(setup.panel.url, 'operator', admin);

    // web-1 ran 1.0 before, then restarted on 1.1: a deploy marker.
    const old = instanceRun('checkout', 'web-1');
    const oldAgent = await connectAgent(setup.panel.url, key);
    expect(await send(oldAgent, 'instance:register', { ...old.register(['payments-api'], { version: '1.0' }), startedAt: base - 60_000 })).toMatchObject({ ok: true });
    oldAgent.close();

    const one = await reporter('web-1', { version: '1.1' });
    const two = await reporter('web-2', { version: '1.0' });
    const t = (run: ReturnType<typeof instanceRun>, fromState: TTransition['from'], toState: TTransition['to'], at: number, extra: Partial<TTransition> = {}) => ({
      ...run.transition('payments-api', fromState, toState, at),
      ...extra,
    });
    // Two overlapping instance outages (one episode), then web-2 flaps alone (a second one).
    const batches: Array<[AgentClient, TTransition[]]> = [
      [
        one.agent,
        [
          t(one.run, 'CLOSED', 'OPEN', base, { failureRate: 62.5, slowCallRate: 4 }),
          t(one.run, 'OPEN', 'HALF_OPEN', base + 10_000, { cause: 'open_timeout_elapsed' }),
          t(one.run, 'HALF_OPEN', 'CLOSED', base + 11_000),
        ],
      ],
      [
        two.agent,
        [
          t(two.run, 'CLOSED', 'OPEN', base + 5_000, { failureRate: 90, slowCallRate: 1 }),
          t(two.run, 'OPEN', 'HALF_OPEN', base + 15_000, { cause: 'open_timeout_elapsed' }),
          t(two.run, 'HALF_OPEN', 'CLOSED', base + 16_000),
          t(two.run, 'CLOSED', 'OPEN', base + 60_000, { cause: 'slow_call_rate', failureRate: 10, slowCallRate: 85 }),
          t(two.run, 'OPEN', 'HALF_OPEN', base + 70_000, { cause: 'open_timeout_elapsed' }),
          t(two.run, 'HALF_OPEN', 'OPEN', base + 70_500, { cause: 'trial_failed', failureRate: 50, slowCallRate: 50 }),
          t(two.run, 'OPEN', 'HALF_OPEN', base + 80_500, { cause: 'open_timeout_elapsed' }),
          t(two.run, 'HALF_OPEN', 'CLOSED', base + 81_000),
        ],
      ],
    ];
    for (const [agent, transitions] of batches) for (const transition of transitions) expect(await send(agent, 'transition:report', transition)).toMatchObject({ ok: true });
    await setup.panel.pipeline.flush();

    id = (await viewer.getJson<TBreakerList>('/api/v1/breakers?service=checkout')).breakers[0]!.id;
    // A manual trip and release, through the API as an operator; the reporters apply them.
    const trip = await operator.request(`/api/v1/breakers/${id}/actions`, { method: 'POST', body: { action: 'trip', scope: { all: true }, reason: 'provider "acme" down, INC-7' } });
    expect(trip.status).toBe(201);
    const commandRows = async (state: string) => (await setup.database.query<{ n: number }>("SELECT count(*)::int AS n FROM transitions WHERE cause = 'command' AND to_state = $1", [state]))[0]!.n;
    await vi.waitFor(async () => expect(await commandRows('FORCED_OPEN')).toBe(2), { timeout: 10_000 });
    const release = await operator.request(`/api/v1/breakers/${id}/actions`, { method: 'POST', body: { action: 'release', scope: { all: true }, reason: 'acme recovered' } });
    expect(release.status).toBe(201);
    await vi.waitFor(async () => expect(await commandRows('CLOSED')).toBe(2), { timeout: 10_000 });
    await setup.panel.pipeline.flush();
    from = base - 60_000;
    to = Date.now() + 1_000;
  });
  afterAll(async () => {
    for (const agent of agents) agent.close();
  });

  it('draws the service-wide lane and instance lanes, with trips, their rates, operator actions and the deploy', async () => {
    const timeline = await get<TTimeline>(`/api/v1/history/timeline?from=${from}&to=${to}&service=checkout&instances=1`);
    expect(timeline.lanes).toHaveLength(1);
    const lane = timeline.lanes[0]!;
    expect(lane).toMatchObject({ breakerId: id, service: 'checkout', breaker: 'payments-api' });
    // Service-wide: the most severe instance state at each moment, from the first thing known (the reports are backdated before the instances were first seen).
    expect(lane.segments.slice(0, 5)).toEqual([
      { state: 'OPEN', from: base, to: base + 15_000 },
      { state: 'HALF_OPEN', from: base + 15_000, to: base + 16_000 },
      { state: 'CLOSED', from: base + 16_000, to: base + 60_000 },
      { state: 'OPEN', from: base + 60_000, to: base + 70_000 },
      { state: 'HALF_OPEN', from: base + 70_000, to: base + 70_500 },
    ]);
    expect(lane.segments.some((segment) => segment.state === 'FORCED_OPEN')).toBe(true);
    expect(lane.instances!.map((instance) => instance.name)).toEqual(['web-1', 'web-2']);
    expect(lane.instances![0]!.segments.slice(0, 3)).toEqual([
      { state: 'OPEN', from: base, to: base + 10_000 },
      { state: 'HALF_OPEN', from: base + 10_000, to: base + 11_000 },
      { state: 'CLOSED', from: base + 11_000, to: expect.any(Number) },
    ]);
    expect(lane.instances![0]!.segments.map((segment) => segment.state)).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED', 'FORCED_OPEN', 'CLOSED']);
    expect(lane.trips).toEqual([
      { at: base, instance: 'web-1', cause: 'failure_rate', failureRate: 62.5, slowCallRate: 4 },
      { at: base + 5_000, instance: 'web-2', cause: 'failure_rate', failureRate: 90, slowCallRate: 1 },
      { at: base + 60_000, instance: 'web-2', cause: 'slow_call_rate', failureRate: 10, slowCallRate: 85 },
    ]);
    expect(lane.actions.map((action) => [action.action, action.by, action.reason])).toEqual([
      ['trip', operator.email, 'provider "acme" down, INC-7'],
      ['release', operator.email, 'acme recovered'],
    ]);
    expect(timeline.deploys).toEqual([{ at: expect.any(Number), service: 'checkout', version: '1.1', previous: '1.0', instances: ['web-1'] }]);
    // Without instances=1 the lanes stay compact.
    expect((await get<TTimeline>(`/api/v1/history/timeline?from=${from}&to=${to}&breaker=${id}`)).lanes[0]!.instances).toBeUndefined();
  });

  it('lists the episodes with durations, instances, peak rates and the operator actions inside, and summarises them', async () => {
    const list = await get<TIncidentList>(`/api/v1/history/incidents?from=${from}&to=${to}&service=checkout&sort=start&order=asc`);
    expect(list.total).toBe(3);
    const [overlap, flap, manual] = list.incidents;
    expect(overlap).toMatchObject({
      start: base,
      end: base + 16_000,
      durationMs: 16_000,
      instances: ['web-1', 'web-2'],
      peakFailureRate: 90,
      openings: 2,
      actions: [],
      beganBeforeRange: false,
      openAtEnd: false,
    });
    expect(flap).toMatchObject({ start: base + 60_000, end: base + 81_000, durationMs: 21_000, instances: ['web-2'], peakSlowCallRate: 85, openings: 2 });
    expect(manual!.instances).toEqual(['web-1', 'web-2']);
    expect(manual!.actions.map((action) => [action.action, action.by, action.reason])).toEqual([
      ['trip', operator.email, 'provider "acme" down, INC-7'],
      ['release', operator.email, 'acme recovered'],
    ]);
    expect(list.summary.trips).toBe(3);
    expect(list.summary.totalOpenMs).toBe(16_000 + 21_000 + manual!.durationMs);
    expect(list.summary.meanTimeToRecoveryMs).toBe(Math.round((16_000 + 21_000 + manual!.durationMs) / 3));
    expect(list.summary.mostTripped).toEqual([{ breakerId: id, service: 'checkout', breaker: 'payments-api', trips: 3, openMs: list.summary.totalOpenMs }]);

    expect(manual!.durationMs).toBeLessThan(16_000);
    const longest = await get<TIncidentList>(`/api/v1/history/incidents?from=${from}&to=${to}&sort=duration&order=desc&limit=1&minDurationMs=16000`);
    expect(longest.total).toBe(2);
    expect(longest.incidents).toHaveLength(1);
    expect(longest.incidents[0]!.durationMs).toBe(21_000);
  });

  it('agrees with the reference episode logic, also for a range that starts inside an episode and one that ends inside it', async () => {
    const { transitions } = await get<{ transitions: ExportedTransition[] }>(`/api/v1/history/export?format=json&kind=transitions&from=${from}&to=${to}`);
    const reference = (rangeFrom: number, rangeTo: number) => {
      const initial = new Map<string, ExportedTransition['to']>();
      for (const transition of transitions) if (transition.instance && transition.at < rangeFrom) initial.set(transition.instance, transition.to);
      const inside = transitions.filter((transition) => transition.at >= rangeFrom && transition.at < rangeTo);
      return episodesOf({ from: rangeFrom, to: rangeTo, initial: initial as Map<string, never>, transitions: inside as never[] }).map(
        ({ start, end, durationMs, instances, openings, beganBeforeRange, openAtEnd }) => ({ start, end, durationMs, instances, openings, beganBeforeRange, openAtEnd }),
      );
    };
    for (const [rangeFrom, rangeTo] of [
      [from, to],
      [base + 8_000, to],
      [from, base + 75_000],
      [base + 65_000, base + 75_000],
    ] as const) {
      const list = await get<TIncidentList>(`/api/v1/history/incidents?from=${rangeFrom}&to=${rangeTo}&sort=start&order=asc`);
      expect(
        list.incidents.map(({ start, end, durationMs, instances, openings, beganBeforeRange, openAtEnd }) => ({ start, end, durationMs, instances, openings, beganBeforeRange, openAtEnd })),
      ).toEqual(reference(rangeFrom, rangeTo));
    }
    const inside = await get<TIncidentList>(`/api/v1/history/incidents?from=${base + 8_000}&to=${base + 75_000}&sort=start&order=asc`);
    expect(inside.incidents[0]).toMatchObject({ start: base + 8_000, beganBeforeRange: true, end: base + 16_000 });
    expect(inside.incidents[1]).toMatchObject({ start: base + 60_000, end: null, openAtEnd: true, durationMs: 15_000 });
  });

  it('exports the same transitions and incidents as CSV with a header row and proper quoting, and as JSON', async () => {
    const query = `from=${from}&to=${to}&service=checkout`;
    const json = await get<{ transitions: ExportedTransition[] }>(`/api/v1/history/export?format=json&kind=transitions&${query}`);
    // 3 + 8 reported, 2 × 2 from the commands, 2 panel rows (trip, release).
    expect(json.transitions).toHaveLength(3 + 8 + 4 + 2);
    const csv = await viewer.request(`/api/v1/history/export?format=csv&kind=transitions&${query}`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="breaker-history-transitions-.*\.csv"$/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,atUtc,service,breaker,breakerId,instance,from,to,cause,failureRate,slowCallRate');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(json.transitions.map((transition) => transition.id));

    const incidentsCsv = await (await viewer.request(`/api/v1/history/export?format=csv&kind=incidents&${query}`)).text();
    const rows = incidentsCsv.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^service,breaker,breakerId,start,startUtc,end,endUtc,durationMs,instances,/);
    expect(rows).toHaveLength(4);
    // The reason holds a comma and quotes: one quoted cell with the quotes doubled.
    expect(rows[3]).toContain('trip by ' + operator.email + ': provider ""acme"" down, INC-7');
    expect(rows[3]).toMatch(/,"[^"]*trip by .*""acme"".*"/);
    const incidentsJson = await get<{ incidents: unknown[] }>(`/api/v1/history/export?format=json&kind=incidents&${query}`);
    expect(incidentsJson.incidents).toHaveLength(3);
  });

  it('answers 400 naming the field for a bad query, and 401 without a session', async () => {
    const cases: Array<[string, string]> = [
      [`/api/v1/history/timeline?to=${to}`, 'from'],
      [`/api/v1/history/timeline?from=${to}&to=${from}`, 'to'],
      [`/api/v1/history/incidents?from=${from}&to=${to}&breaker=payments-api`, 'breaker'],
      [`/api/v1/history/incidents?from=${from}&to=${to}&sort=loudest`, 'sort'],
      [`/api/v1/history/export?from=${from}&to=${to}&format=xml&kind=transitions`, 'format'],
      [`/api/v1/history/export?from=${from}&to=${to}&format=csv`, 'kind'],
      [`/api/v1/history/timeline?from=0&to=${to}`, 'from'],
      [`/api/v1/history/extent?breaker=payments-api`, 'breaker'],
    ];
    for (const [path, field] of cases) {
      const response = await viewer.request(path);
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as { error: { code: string; details: { issues: Array<{ path: string }> } } };
      expect(body.error.code).toBe('invalid_request');
      expect(
        body.error.details.issues.map((issue) => issue.path),
        path,
      ).toContain(field);
    }
    expect((await fetch(`${setup.panel.url}/api/v1/history/timeline?from=${from}&to=${to}`)).status).toBe(401);
    expect((await fetch(`${setup.panel.url}/api/v1/history/extent`)).status).toBe(401);
  });

  it('tells since when there is data for the filters, so that the page opens on a range that fits it', async () => {
    const earliest = (await setup.database.query<{ earliest: Date }>('SELECT min(created_at) AS earliest FROM breakers'))[0]!.earliest;
    const before = Date.now();
    const all = await get<THistoryExtent>('/api/v1/history/extent');
    expect(all.earliest).toBe(earliest.getTime());
    expect(all.serverTime).toBeGreaterThanOrEqual(before);
    expect(all.earliest).toBeLessThanOrEqual(all.serverTime);
    expect((await get<THistoryExtent>(`/api/v1/history/extent?service=checkout&breaker=${id}`)).earliest).toBe(earliest.getTime());
    expect((await get<THistoryExtent>('/api/v1/history/extent?service=nobody-reports-this')).earliest).toBeNull();
  });

  it('records each run of an instance with its labels at registration, once per run', async () => {
    const runs = await setup.database.query<{ name: string; version: string }>(
      "SELECT i.name, r.labels->>'version' AS version FROM instance_runs r JOIN instances i ON i.id = r.instance_id ORDER BY r.started_at",
    );
    expect(runs).toEqual([
      { name: 'web-1', version: '1.0' },
      { name: 'web-1', version: '1.1' },
      { name: 'web-2', version: '1.0' },
    ]);
  });
});
