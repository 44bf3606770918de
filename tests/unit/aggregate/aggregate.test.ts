import { describe, expect, it } from 'vitest';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import { createAggregate } from '../../../server/aggregate/aggregate';
import { worseState } from '../../../server/aggregate/state-counts';
import { nameFullReport } from '../../../server/ingest/named-report';
import { instanceRun } from '../../fixtures/protocol-messages';

describe('worseState', () => {
  it.each<[Array<TBreakerState | null>, TBreakerState | null]>([
    [[], null],
    [[null], null],
    [['CLOSED', 'OPEN', 'HALF_OPEN'], 'OPEN'],
    [['FORCED_CLOSED', 'CLOSED'], 'FORCED_CLOSED'],
    [['OPEN', 'FORCED_OPEN'], 'FORCED_OPEN'],
    [['CLOSED', 'HALF_OPEN'], 'HALF_OPEN'],
  ])('%j → %s', (states, expected) => expect(states.reduce(worseState, null)).toBe(expected));
});

describe('aggregate', () => {
  function setUp() {
    let clock = 1_000_000;
    const aggregate = createAggregate({ now: () => clock, staleAfterMs: 3_000, bucketSeconds: 10 });
    const identity = (id: string, run: ReturnType<typeof instanceRun>) => ({ id, serviceId: 's1', serviceName: 'checkout', name: run.ref.instanceId, labels: {}, runId: run.ref.runId });
    return { aggregate, identity, advance: (ms: number) => (clock += ms) };
  }

  it('merges instances into a service-wide view: counts by state, summed rates, merged latency', () => {
    const { aggregate, identity } = setUp();
    const a = instanceRun('checkout', 'a');
    const b = instanceRun('checkout', 'b');
    aggregate.register(identity('i-a', a), [{ breakerId: 'b1', name: 'payments', config: null }], 1_000_000);
    aggregate.register(identity('i-b', b), [{ breakerId: 'b1', name: 'payments', config: null }], 1_000_000);
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 90, failure: 10 }, 'CLOSED', [0, 100])])));
    aggregate.applyReport('i-b', nameFullReport(b.report([b.breaker('payments', { failure: 100 }, 'OPEN', [0, 0, 0, 0, 100])])));

    const summary = aggregate.summary('b1')!;
    expect(summary.state).toBe('OPEN');
    expect(summary.instances).toEqual({ total: 2, stale: 0, byState: { CLOSED: 1, OPEN: 1, HALF_OPEN: 0, FORCED_OPEN: 0, FORCED_CLOSED: 0 } });
    expect(summary.rates.failureRate).toBeCloseTo(55);
    expect(summary.rates.p50Ms).toBeCloseTo(2 ** (0.5 / 4), 3);
    expect(summary.rates.p99Ms).toBeCloseTo(2 ** (3.5 / 4), 3);
  });

  it('derives exact deltas when an instance reports a wider histogram than before', () => {
    const { aggregate, identity } = setUp();
    const a = instanceRun('checkout', 'a');
    aggregate.register(identity('i-a', a), [{ breakerId: 'b1', name: 'payments', config: null }], 1_000_000);
    const histogram = (counts: Record<number, number>) => Array.from({ length: 1 + Math.max(...Object.keys(counts).map(Number)) }, (_, i) => counts[i] ?? 0);
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 4 }, 'CLOSED', histogram({ 1: 4 }))])));
    // Bucket 50: far past any row width seen so far; then bucket 65, the last.
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 7 }, 'CLOSED', histogram({ 1: 5, 50: 2 }))])));
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 10 }, 'CLOSED', histogram({ 1: 5, 50: 4, 65: 1 }))])));
    const batch = aggregate.pending.take();
    for (const rows of [batch.breakerBuckets, batch.instanceBuckets]) {
      expect(rows.length).toBe(1);
      expect(rows.count(0, 0)).toBe(10);
      const stored = [...rows.histogram(0)];
      expect(stored.length).toBe(66);
      expect([stored[1], stored[50], stored[65]]).toEqual([5, 4, 1]);
      expect(stored.reduce((sum, count) => sum + count, 0)).toBe(10);
    }
  });

  it('never counts a stale instance as healthy, and takes it back when it reports', () => {
    const { aggregate, identity, advance } = setUp();
    const a = instanceRun('checkout', 'a');
    aggregate.register(identity('i-a', a), [{ breakerId: 'b1', name: 'payments', config: null }], 1_000_000);
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 1 })])));
    advance(3_001);
    expect(aggregate.checkLiveness()).toBe(1);
    expect(aggregate.summary('b1')).toMatchObject({ state: null, instances: { stale: 1, byState: { CLOSED: 0 } } });
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 2 })])));
    expect(aggregate.summary('b1')).toMatchObject({ state: 'CLOSED', instances: { stale: 0, byState: { CLOSED: 1 } } });
  });

  it('sets state changes apart from counter changes, so the dashboards get them without waiting', () => {
    const { aggregate, identity, advance } = setUp();
    const a = instanceRun('checkout', 'a');
    aggregate.register(identity('i-a', a), [{ breakerId: 'b1', name: 'payments', config: null }], 1_000_000);
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 1 })])));
    aggregate.dirty.takeStateChanges();
    aggregate.dirty.takeDirty();
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 5 })])));
    expect([...aggregate.dirty.takeStateChanges()]).toEqual([]);
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 5, failure: 9 }, 'OPEN')])));
    expect([...aggregate.dirty.takeStateChanges()]).toEqual(['b1']);
    // Sent with the state change: no longer owed to the next coalesced delta, until counters move again.
    expect([...aggregate.dirty.takeDirty()]).toEqual([]);
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 6, failure: 9 }, 'OPEN')])));
    expect([...aggregate.dirty.takeStateChanges()]).toEqual([]);
    expect([...aggregate.dirty.takeDirty()]).toEqual(['b1']);
    expect(aggregate.ratesChange('b1')).toEqual({ service: 'checkout', rates: aggregate.summary('b1')!.rates, lastReportAt: aggregate.summary('b1')!.lastReportAt });
    // Whatever else a summary shows is a state change too: an override, an instance turning stale or coming back.
    aggregate.setOverride('b1', null);
    expect([...aggregate.dirty.takeStateChanges()]).toEqual(['b1']);
    advance(3_001);
    aggregate.checkLiveness();
    expect([...aggregate.dirty.takeStateChanges()]).toEqual(['b1']);
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 6, failure: 9 }, 'OPEN')])));
    expect([...aggregate.dirty.takeStateChanges()]).toEqual(['b1']);
  });

  it('owes the next coalesced delta a breaker whose counters moved after its state change went out', () => {
    const { aggregate, identity } = setUp();
    const a = instanceRun('checkout', 'a');
    aggregate.register(identity('i-a', a), [{ breakerId: 'b1', name: 'payments', config: null }], 1_000_000);
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 1 }, 'OPEN')])));
    expect([...aggregate.dirty.takeStateChanges()]).toEqual(['b1']);
    // Same coalescing interval: the breaker left the dirty set with its state change, and its counters moved since.
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 2 }, 'OPEN')])));
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 3 }, 'OPEN')])));
    expect([...aggregate.dirty.takeStateChanges()]).toEqual([]);
    expect([...aggregate.dirty.takeDirty()]).toEqual(['b1']);
    expect([...aggregate.dirty.takeDirty()]).toEqual([]);
  });

  it('keeps state changes until they are taken, of a breaker not in memory too: a coalesced delta does not take them', () => {
    const { aggregate } = setUp();
    aggregate.setOverride('b-not-in-memory', null);
    expect([...aggregate.dirty.takeDirty()]).toEqual([]);
    expect([...aggregate.dirty.takeStateChanges()]).toEqual(['b-not-in-memory']);
    expect([...aggregate.dirty.takeStateChanges()]).toEqual([]);
  });

  it('keeps one config object for instances that declare equal ones, and its own for one that differs', () => {
    const { aggregate, identity } = setUp();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => instanceRun('checkout', name));
    const config = () => structuredClone(a!.register(['payments']).breakers[0]!.config);
    const other = { ...config(), callTimeoutMs: 1_234 };
    aggregate.register(identity('i-a', a!), [{ breakerId: 'b1', name: 'payments', config: config() }], 1_000_000);
    aggregate.register(identity('i-b', b!), [{ breakerId: 'b1', name: 'payments', config: config() }], 1_000_000);
    expect(aggregate.breakers.get('b1')!.pairs.get('i-b')!.config).toBe(aggregate.breakers.get('b1')!.pairs.get('i-a')!.config);
    aggregate.register(identity('i-c', c!), [{ breakerId: 'b1', name: 'payments', config: other }], 1_000_000);
    expect(aggregate.breakers.get('b1')!.pairs.get('i-c')!.config).toEqual(other);
    expect(aggregate.breakers.get('b1')!.pairs.get('i-a')!.config).toEqual(config());
  });

  it('reads a report naming breakers in another order, or ones it does not know, by name', () => {
    const { aggregate, identity } = setUp();
    const a = instanceRun('checkout', 'a');
    aggregate.register(
      identity('i-a', a),
      [
        { breakerId: 'b1', name: 'payments', config: null },
        { breakerId: 'b2', name: 'ledger', config: null },
      ],
      1_000_000,
    );
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('payments', { success: 1 }), a.breaker('ledger', { success: 10 })])));
    aggregate.applyReport('i-a', nameFullReport(a.report([a.breaker('ledger', { success: 30 }, 'OPEN'), a.breaker('unknown', { success: 1 }), a.breaker('payments', { success: 3 })])));
    expect(aggregate.knowsBreakers('i-a', ['ledger', 'unknown', 'payments'])).toBe(false);
    expect(aggregate.knowsBreakers('i-a', ['ledger', 'payments'])).toBe(true);
    expect(aggregate.breakers.get('b1')!.totals[0]).toBe(3);
    expect(aggregate.breakers.get('b2')!.totals[0]).toBe(30);
    expect(aggregate.summary('b2')!.state).toBe('OPEN');
  });

  it('keeps a newer state when an older transition is replayed', () => {
    const { aggregate, identity } = setUp();
    const a = instanceRun('checkout', 'a');
    aggregate.register(identity('i-a', a), [{ breakerId: 'b1', name: 'payments', config: null }], 1_000_000);
    aggregate.applyTransition('i-a', a.transition('payments', 'OPEN', 'CLOSED', 2_000), 'b1');
    aggregate.applyTransition('i-a', a.transition('payments', 'CLOSED', 'OPEN', 1_000), 'b1');
    expect(aggregate.summary('b1')?.state).toBe('CLOSED');
  });
});
