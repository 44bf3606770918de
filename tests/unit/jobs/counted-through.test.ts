import { describe, expect, it } from 'vitest';
import { createAggregate, type Aggregate } from '../../../server/aggregate/aggregate';
import { nameFullReport } from '../../../server/ingest/named-report';
import { countedThrough, CountedThroughRows } from '../../../server/jobs/counted-through';
import type { CounterBaselineRow } from '../../../server/store/baseline-store';
import { instanceRun } from '../../fixtures/protocol-messages';

/*
 * A flush builds each instance's counted-through totals only when it writes
 * them, after its bucket statements: what it writes must still be what the
 * batch it took stores, whatever reached the aggregate in between.
 */

const declared = [
  { breakerId: 'b-payments', name: 'payments', config: null },
  { breakerId: 'b-search', name: 'search', config: null },
];

function setUp() {
  const clock = { now: 1_000_000 };
  const aggregate = createAggregate({ now: () => clock.now, staleAfterMs: 3_600_000, bucketSeconds: 10 });
  const run = instanceRun('checkout', 'i-a');
  const identity = { id: 'i-a', serviceId: 's1', serviceName: 'checkout', name: 'a', labels: {}, runId: run.ref.runId };
  aggregate.register(identity, declared, clock.now);
  const report = (success: number, latency: number[] = [success]) =>
    aggregate.applyReport('i-a', nameFullReport(run.report([run.breaker('payments', { success }, 'CLOSED', latency), run.breaker('search', { failure: success }, 'CLOSED', latency)])));
  report(100);
  report(150, [150, 3]);
  clock.now += 10_000;
  report(170, [170, 3]);
  // The flush takes the closed bucket; the open one stays owed.
  const batch = aggregate.pending.take(aggregate.pending.bucketOf(clock.now));
  const atTake = countedThrough(aggregate.pending, aggregate.instances.get('i-a')!)!;
  const rows = new CountedThroughRows(aggregate, ['i-a']);
  return { aggregate, clock, run, identity, report, batch, atTake, rows };
}

type Row = Pick<CounterBaselineRow, 'runId' | 'breakerIds' | 'widths' | 'totals'>;
/** Per breaker its numbers without trailing zeros: a row widened since holds the same counts. */
function plain({ runId, breakerIds, widths, totals }: Row) {
  const byBreaker: Record<string, number[]> = {};
  for (let i = 0, at = 0; i < breakerIds.length; at += widths[i]!, i++) {
    const numbers = [...totals.subarray(at, at + widths[i]!)];
    while (numbers.at(-1) === 0) numbers.pop();
    byBreaker[breakerIds[i]!] = numbers;
  }
  return { runId, byBreaker };
}
const written = (rows: CountedThroughRows) => rows.rows([0]).map(plain);
const totalsOf = (aggregate: Aggregate) => [...countedThrough(aggregate.pending, aggregate.instances.get('i-a')!)!.totals];

describe('counted-through totals built after the take', () => {
  it('are those of the take while reports go on counting', () => {
    const { report, clock, atTake, rows } = setUp();
    report(220, [200, 10, 10]);
    clock.now += 10_000;
    report(260, [240, 10, 10]);
    expect(written(rows)).toEqual([plain(atTake)]);
    // 150 counted through the taken bucket, of both breakers.
    expect(atTake.totals[0]).toBe(150);
  });

  it('are those of the take when counters go backwards without a new run, and the restart still counts', () => {
    const { aggregate, report, atTake, rows } = setUp();
    report(5, [5]);
    expect(written(rows)).toEqual([plain(atTake)]);
    // Counted from zero again: 170 before the restart, then 5.
    expect(aggregate.breakers.get('b-payments')!.totals[0]).toBe(175);
  });

  it('are those of the take when a restore moves the totals on', () => {
    const { aggregate, identity, atTake, rows } = setUp();
    // Another server counted this run further than this one.
    aggregate.restoreCounted({ instanceId: 'i-a', runId: identity.runId, breakerIds: atTake.breakerIds, widths: atTake.widths, totals: atTake.totals.map((value) => value + 1_000) });
    expect(totalsOf(aggregate)[0]).toBe(1_130);
    expect(written(rows)).toEqual([plain(atTake)]);
  });

  it('leave out an instance whose run changed since', () => {
    const { aggregate, identity, rows } = setUp();
    aggregate.register({ ...identity, runId: 'run-2' }, declared, Date.now());
    expect(rows.rows([0])).toEqual([]);
  });

  it('stop watching the aggregate once closed', () => {
    const { aggregate, rows } = setUp();
    expect(aggregate.counters.beforeUnseenMove).toBeTypeOf('function');
    rows.close();
    expect(aggregate.counters.beforeUnseenMove).toBeUndefined();
  });
});
