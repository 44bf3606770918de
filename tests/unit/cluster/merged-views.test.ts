import { describe, expect, it } from 'vitest';
import type { TBreakerConfig } from '../../../lib/protocol/breaker-config.js';
import { createAggregate, type Aggregate } from '../../../server/aggregate/aggregate';
import { fromBody, toBody, ZPartialBody } from '../../../server/cluster/partial-wire';
import { createRemotePartials } from '../../../server/cluster/remote-partials';
import { nameFullReport } from '../../../server/ingest/named-report';
import { instanceRun } from '../../fixtures/protocol-messages';

const BREAKER = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

/** Servers A, B and C on one clock, each an aggregate; A merges B's and C's parts as they travel (JSON, parsed back). */
function setUp() {
  let clock = 1_000_000;
  const now = () => clock;
  const make = () => createAggregate({ now, staleAfterMs: 3_000, bucketSeconds: 10 });
  const servers = { a: make(), b: make(), c: make() };
  // The same fleet on one server alone: what every merged view must equal.
  const alone = make();
  const remote = createRemotePartials({ serverId: 'a' });
  servers.a.useRemoteViews(remote.views);
  const runs = new Map<string, ReturnType<typeof instanceRun>>();
  const report = (aggregate: Aggregate, instance: string, counters: Record<string, number>, state: 'CLOSED' | 'OPEN' = 'CLOSED', config: TBreakerConfig | null = null) => {
    let run = runs.get(instance);
    if (!run) runs.set(instance, (run = instanceRun('checkout', instance)));
    for (const target of [aggregate, alone]) {
      if (!target.instances.get(instance)) {
        target.register({ id: instance, serviceId: 's1', serviceName: 'checkout', name: instance, labels: {}, runId: run.ref.runId }, [{ breakerId: BREAKER, name: 'payments', config }], clock);
        target.setTransport(instance, 'socket');
      }
    }
    const named = nameFullReport(run.report([run.breaker('payments', counters, state, [0, counters.success ?? 0, 0, counters.failure ?? 0])]));
    // The one-server aggregate takes each report too, whichever server got it.
    aggregate.applyReport(instance, named);
    alone.applyReport(instance, named);
  };
  const publish = (server: 'b' | 'c') => {
    const aggregate = servers[server];
    const body = JSON.parse(JSON.stringify(toBody(aggregate.partial(BREAKER)!, aggregate.ownInstancesOf(BREAKER), false))) as unknown;
    remote.set(server, BREAKER, fromBody(ZPartialBody.parse(body)));
  };
  return { servers, alone, remote, report, publish, advance: (ms: number) => (clock += ms) };
}

describe('merged views across servers', () => {
  it('gives the same summary as one server holding every instance: counts, state and exact rates', () => {
    const { servers, alone, report, publish } = setUp();
    report(servers.a, 'i-a', { success: 90, failure: 10 });
    report(servers.b, 'i-b', { failure: 100 }, 'OPEN');
    report(servers.c, 'i-c', { success: 40 });
    report(servers.c, 'i-d', { success: 10 });
    publish('b');
    publish('c');
    const merged = servers.a.summary(BREAKER)!;
    expect(merged.instances).toEqual({ total: 4, stale: 0, byState: { CLOSED: 3, OPEN: 1, HALF_OPEN: 0, FORCED_OPEN: 0, FORCED_CLOSED: 0 } });
    expect(merged.state).toBe('OPEN');
    const single = alone.summary(BREAKER)!;
    expect({ ...merged, stateSince: null }).toEqual({ ...single, stateSince: null });
    expect(servers.a.instancesOf(BREAKER).map((row) => row.name)).toEqual(['i-a', 'i-b', 'i-c', 'i-d']);
  });

  it('counts an instance that moved to another server once, as the server it reports to now shows it', () => {
    const { servers, report, publish, advance } = setUp();
    report(servers.b, 'i-m', { success: 5 });
    publish('b');
    advance(1_000);
    // It reports to A now; B still holds its last report.
    report(servers.a, 'i-m', { success: 9 }, 'OPEN');
    const merged = servers.a.summary(BREAKER)!;
    expect(merged.instances.total).toBe(1);
    expect(merged.state).toBe('OPEN');
    expect(servers.a.instancesOf(BREAKER).map((row) => [row.name, row.state])).toEqual([['i-m', 'OPEN']]);
  });

  it('shows a dead server’s instances stale, drops its part once they report elsewhere, and forgets a forgotten server', () => {
    const { servers, remote, report, publish } = setUp();
    report(servers.a, 'i-a', { success: 1 });
    report(servers.b, 'i-b', { success: 1 });
    report(servers.c, 'i-c', { success: 1 }, 'OPEN');
    publish('b');
    publish('c');
    expect(servers.a.summary(BREAKER)!.state).toBe('OPEN');
    remote.setServers(new Set(['a', 'b']), new Set(['a', 'b', 'c']));
    const dead = servers.a.summary(BREAKER)!;
    // Never healthy, never open: stale.
    expect(dead.instances).toMatchObject({ total: 3, stale: 1, byState: { CLOSED: 2, OPEN: 0 } });
    expect(dead.state).toBe('CLOSED');
    expect(servers.a.instancesOf(BREAKER).find((row) => row.name === 'i-c')?.stale).toBe(true);
    expect(remote.takeStateChanges().has(BREAKER)).toBe(true);

    // i-c reports to A now: counted once, live, and C's part goes.
    report(servers.a, 'i-c', { success: 2 });
    expect(servers.a.summary(BREAKER)!.instances).toMatchObject({ total: 3, stale: 0, byState: { CLOSED: 3 } });
    remote.setServers(new Set(['a', 'b']), new Set(['a', 'b']));
    expect(servers.a.summary(BREAKER)!.instances.total).toBe(3);
    expect([...remote.views.remoteOnly()].length).toBe(1);
  });

  it('carries each instance’s config, a config shared by several instances once', () => {
    const { servers, report, publish } = setUp();
    const config = (size: number): TBreakerConfig => ({
      implementation: 'breaker-panel',
      window: { type: 'count', size },
      failureRateThreshold: 50,
      slowCallThresholdMs: null,
      slowCallRateThreshold: null,
      minimumCalls: 5,
      openTimeoutMs: 1_000,
      openTimeoutBackoff: null,
      halfOpenMaxCalls: 1,
      callTimeoutMs: null,
      hasFallback: false,
    });
    report(servers.b, 'i-1', { success: 1 }, 'CLOSED', config(10));
    report(servers.b, 'i-2', { success: 1 }, 'CLOSED', config(10));
    report(servers.b, 'i-3', { success: 1 }, 'CLOSED', config(20));
    expect(toBody(servers.b.partial(BREAKER)!, servers.b.ownInstancesOf(BREAKER), false).configs).toHaveLength(2);
    publish('b');
    expect(servers.a.instancesOf(BREAKER).map((row) => (row.config?.window.type === 'count' ? row.config.window.size : null))).toEqual([10, 10, 20]);
  });

  it('lists a breaker only another server holds, with its instances', () => {
    const { servers, report, publish } = setUp();
    report(servers.b, 'i-b', { success: 3 });
    publish('b');
    expect(servers.a.breakerIds()).toEqual([BREAKER]);
    expect(servers.a.summary(BREAKER)!.instances.total).toBe(1);
    expect(servers.a.ratesChange(BREAKER)?.service).toBe('checkout');
  });
});
