import { describe, expect, it } from 'vitest';
import type { TBreakerConfig } from '../../../lib/protocol/breaker-config.js';
import { createAggregate, type Aggregate } from '../../../server/aggregate/aggregate';
import { createPartDecoder } from '../../../server/cluster/part-decoder';
import { BatchConfigs, createPartEncoder } from '../../../server/cluster/part-encoder';
import { checkEntry } from '../../../server/cluster/part-check';
import { PART_FORMAT, ZPartBatch, type TPartBatch, type TWirePart } from '../../../server/cluster/part-wire';
import { createRemotePartials } from '../../../server/cluster/remote-partials';
import { nameFullReport } from '../../../server/ingest/named-report';
import { breakerConfig, instanceRun } from '../../fixtures/protocol-messages';

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
  // Each of B and C encodes its parts; A decodes each server's.
  const encoders = { b: createPartEncoder(), c: createPartEncoder() };
  const decoders = { b: createPartDecoder(), c: createPartDecoder() };
  const sent: Array<{ part: TWirePart; configs: TBreakerConfig[] }> = [];
  const publish = (server: 'b' | 'c') => {
    const aggregate = servers[server];
    const configs = new BatchConfigs();
    const part = encoders[server].encode(aggregate.partial(BREAKER)!, aggregate.ownInstancesOf(BREAKER), false, configs);
    const batch = ZPartBatch.parse(JSON.parse(JSON.stringify({ format: PART_FORMAT, configs: configs.list, parts: [part] } satisfies TPartBatch)));
    const entry = checkEntry(batch.parts[0], batch.configs.length);
    if (typeof entry === 'string' || entry.length !== 6) throw new Error(`not a part: ${String(entry)}`);
    sent.push({ part: entry, configs: batch.configs });
    remote.set(server, BREAKER, decoders[server].decode(entry, batch.configs));
  };
  return { servers, alone, remote, report, publish, sent, advance: (ms: number) => (clock += ms) };
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

  it('counts an instance that moved between two other servers once, on a server that holds none of the breaker', () => {
    const { servers, report, publish, advance } = setUp();
    report(servers.b, 'i-m', { success: 5 }, 'OPEN');
    report(servers.b, 'i-b', { success: 1 });
    publish('b');
    advance(1_000);
    report(servers.c, 'i-m', { success: 9 });
    publish('c');
    const merged = servers.a.summary(BREAKER)!;
    expect(merged.instances).toMatchObject({ total: 2, byState: { CLOSED: 2, OPEN: 0 } });
    expect(servers.a.instancesOf(BREAKER).map((row) => [row.name, row.state])).toEqual([
      ['i-b', 'CLOSED'],
      ['i-m', 'CLOSED'],
    ]);
    // The rates-only change is the summary's.
    expect(servers.a.ratesChange(BREAKER)).toEqual({ service: 'checkout', rates: merged.rates, lastReportAt: merged.lastReportAt });
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
    const { servers, report, publish, sent } = setUp();
    const config = (size: number): TBreakerConfig => ({ ...breakerConfig, window: { type: 'count', size } });
    report(servers.b, 'i-1', { success: 1 }, 'CLOSED', config(10));
    report(servers.b, 'i-2', { success: 1 }, 'CLOSED', config(10));
    report(servers.b, 'i-3', { success: 1 }, 'CLOSED', config(20));
    publish('b');
    expect(sent.at(-1)!.configs).toHaveLength(2);
    expect(servers.a.instancesOf(BREAKER).map((row) => (row.config?.window.type === 'count' ? row.config.window.size : null))).toEqual([10, 10, 20]);
  });

  it('lists a breaker only another server holds, with its instances', () => {
    const { servers, report, publish } = setUp();
    report(servers.b, 'i-b', { success: 3 });
    publish('b');
    expect(servers.a.breakerIds()).toEqual([BREAKER]);
    expect(servers.a.summary(BREAKER)!.instances.total).toBe(1);
    expect(servers.a.serviceOf(BREAKER)).toBe('checkout');
    expect(servers.a.ratesChange(BREAKER)?.service).toBe('checkout');
  });

  it('sends an instance’s setting once and then only what its reports moved, and the same view comes out', () => {
    const { servers, alone, report, publish, sent, advance } = setUp();
    report(servers.b, 'i-1', { success: 5 });
    report(servers.b, 'i-2', { failure: 5 }, 'OPEN');
    publish('b');
    expect(sent.at(-1)!.part[3].map((row) => row[9]?.[0])).toEqual(['i-1', 'i-2']);
    expect(sent.at(-1)!.part[4]).toEqual(['i-1', 'i-2']);
    expect(sent.at(-1)!.part[5]).toEqual(['checkout', 'payments']);
    advance(1_000);
    report(servers.b, 'i-1', { success: 9 });
    publish('b');
    // Only i-1 reported, in the same state: its last report and window alone, no setting, and the held instances and the names are the same.
    expect(sent.at(-1)!.part[3].map((row) => [row[0], row.length])).toEqual([['i-1', 5]]);
    expect(sent.at(-1)!.part[4]).toBeNull();
    expect(sent.at(-1)!.part[5]).toBeNull();
    publish('b');
    expect(sent.at(-1)!.part[3]).toEqual([]);
    const merged = servers.a.instancesOf(BREAKER);
    expect(merged.map((row) => [row.name, row.state, row.lastReportAt])).toEqual(alone.instancesOf(BREAKER).map((row) => [row.name, row.state, row.lastReportAt]));
    expect({ ...servers.a.summary(BREAKER)!, stateSince: null }).toEqual({ ...alone.summary(BREAKER)!, stateSince: null });
  });

  it('takes no part naming an instance it never had the setting of, until a whole part brings it', () => {
    const encoder = createPartEncoder();
    const decoder = createPartDecoder();
    const { servers, report } = setUp();
    report(servers.b, 'i-1', { success: 1 });
    // The first part is lost on its way: the next names i-1 by its moves only, and its counts hold i-1.
    const configs = new BatchConfigs();
    encoder.encode(servers.b.partial(BREAKER)!, servers.b.ownInstancesOf(BREAKER), false, configs);
    report(servers.b, 'i-1', { success: 2 });
    const next = encoder.encode(servers.b.partial(BREAKER)!, servers.b.ownInstancesOf(BREAKER), false, configs);
    expect(decoder.decode(next, configs.list)).toBeNull();
    encoder.forget();
    const whole = encoder.encode(servers.b.partial(BREAKER)!, servers.b.ownInstancesOf(BREAKER), false, configs);
    expect(decoder.decode(whole, configs.list)?.rows).toEqual(servers.b.ownInstancesOf(BREAKER));
  });

  it('counts an instance once where another server knows it only as a declared pair that never reported there', () => {
    const { servers, report, publish } = setUp();
    report(servers.b, 'i-b', { success: 3 });
    publish('b');
    // A loaded i-b from the catalog: declared, no state, no connection here.
    servers.a.register({ id: 'i-b', serviceId: 's1', serviceName: 'checkout', name: 'i-b', labels: {}, runId: 'run-b' }, [{ breakerId: BREAKER, name: 'payments', config: null }], 1_000_000);
    expect(servers.a.summary(BREAKER)!.instances.total).toBe(1);
    expect(servers.a.instancesOf(BREAKER).map((row) => row.name)).toEqual(['i-b']);
  });

  it('counts as stale the instances its rows show stale, not a declared pair that never reported a state', () => {
    const { servers, report, publish, advance } = setUp();
    report(servers.a, 'i-a', { success: 3 });
    // i-x registered here and went quiet before its first report: a pair with no state, so no row.
    servers.a.register({ id: 'i-x', serviceId: 's1', serviceName: 'checkout', name: 'i-x', labels: {}, runId: 'run-x' }, [{ breakerId: BREAKER, name: 'payments', config: null }], 1_000_000);
    servers.a.setTransport('i-x', 'socket');
    advance(5_000);
    servers.a.checkLiveness();
    const rows = servers.a.instancesOf(BREAKER);
    expect(rows.map((row) => [row.name, row.stale])).toEqual([['i-a', true]]);
    // Declared on two instances; one stale, as the rows show.
    expect(servers.a.summary(BREAKER)!.instances).toMatchObject({ total: 2, stale: 1 });
    // Merged with another server's part, this server's part is the instances it holds rows of.
    report(servers.b, 'i-b', { success: 1 });
    publish('b');
    expect(servers.a.instancesOf(BREAKER).map((row) => [row.name, row.stale])).toEqual([
      ['i-a', true],
      ['i-b', false],
    ]);
    expect(servers.a.summary(BREAKER)!.instances).toMatchObject({ total: 2, stale: 1 });
  });
});
