import { describe, expect, it } from 'vitest';
import { createAggregate, type Aggregate } from '../../../server/aggregate/aggregate';
import { nameFullReport } from '../../../server/ingest/named-report';
import { countedThrough } from '../../../server/jobs/counted-through';
import { instanceRun } from '../../fixtures/protocol-messages';

/*
 * One run of one instance counted by two servers in turn, as in a cluster
 * when its server dies: what a server writes, and the counters it stores
 * with it (countedThrough, as the flusher writes counter_baselines), are
 * what the next server counts on from (restoreCounted, on registration).
 */

const declared = [{ breakerId: 'b-payments', name: 'payments', config: null }];

function server(clock: { now: number }) {
  const aggregate = createAggregate({ now: () => clock.now, staleAfterMs: 3_600_000, bucketSeconds: 10 });
  let written = 0;
  return {
    aggregate,
    /** Writes what is owed (every bucket when `all`), as a flush, and answers the counters it stores with it. */
    flush(all: boolean) {
      const batch = aggregate.pending.take(all ? Infinity : aggregate.pending.bucketOf(clock.now));
      for (let row = 0; row < batch.breakerBuckets.length; row++) written += batch.breakerBuckets.count(row, 0);
      aggregate.pending.release(batch);
      return countedThrough(aggregate.pending, aggregate.instances.get('i-a')!);
    },
    get written() {
      return written;
    },
  };
}

function restore(aggregate: Aggregate, runId: string, stored: NonNullable<ReturnType<typeof countedThrough>>) {
  aggregate.restoreCounted({ ...stored, instanceId: 'i-a', runId });
}

describe('a run counted by one server, then another', () => {
  const run = instanceRun('checkout', 'a');
  const identity = { id: 'i-a', serviceId: 's1', serviceName: 'checkout', name: 'a', labels: {}, runId: run.ref.runId };
  const report = (aggregate: Aggregate, success: number) => aggregate.applyReport('i-a', nameFullReport(run.report([run.breaker('payments', { success })])));

  it('counts what the first had not written, and nothing it had, when the second registers the run', () => {
    const clock = { now: 1_000_000 };
    const a = server(clock);
    // B knew the run from the catalog, as A had stored it early on: that is behind by now.
    const b = server(clock);
    a.aggregate.register(identity, declared, clock.now);
    report(a.aggregate, 100);
    b.aggregate.register(identity, declared, clock.now, 'catalog');
    restore(b.aggregate, run.ref.runId, a.flush(true)!);
    report(a.aggregate, 250);
    clock.now += 10_000;
    report(a.aggregate, 400);
    const stored = a.flush(false)!;
    // A counted up to 430 and wrote 250 of it when it died.
    report(a.aggregate, 430);
    expect(a.written).toBe(250);

    b.aggregate.register(identity, declared, clock.now);
    restore(b.aggregate, run.ref.runId, stored);
    report(b.aggregate, 500);
    b.flush(true);
    expect(a.written + b.written).toBe(500);
  });

  it('holds no totals of a new run another server counts, and counts the report it did not count once it takes the run over', () => {
    const clock = { now: 1_000_000 };
    const a = server(clock);
    const b = server(clock);
    // B counts the first run; the reporter restarts and registers its second run with A.
    b.aggregate.register(identity, declared, clock.now);
    report(b.aggregate, 100);
    const second = instanceRun('checkout', 'a');
    const secondReport = (success: number) => nameFullReport(second.report([second.breaker('payments', { success })]));
    a.aggregate.register({ ...identity, runId: second.ref.runId }, declared, clock.now);
    a.aggregate.applyReport('i-a', secondReport(70));
    // B sees the second run's next batch without counting it: what it writes of the first run comes without totals of the second.
    const last = secondReport(90);
    b.aggregate.applyReport('i-a', last, false);
    expect(b.flush(true)).toBeNull();
    expect(b.written).toBe(100);

    // The reporter stopped after that batch: B takes the run over from what A stored, and counts the batch A never saw.
    restore(b.aggregate, second.ref.runId, a.flush(true)!);
    b.aggregate.countReport('i-a', last);
    b.aggregate.countReport('i-a', last);
    b.flush(true);
    expect(a.written + b.written).toBe(100 + 90);
  });

  it('counts no report it did not count when a later one was applied since', () => {
    const clock = { now: 1_000_000 };
    const a = server(clock);
    a.aggregate.register(identity, declared, clock.now);
    const earlier = nameFullReport(run.report([run.breaker('payments', { success: 40 })]));
    a.aggregate.applyReport('i-a', earlier, false);
    report(a.aggregate, 60);
    a.aggregate.countReport('i-a', earlier);
    a.flush(true);
    expect(a.written).toBe(60);
  });

  it('never moves a server back to counters older than what it saw itself', () => {
    const clock = { now: 1_000_000 };
    const a = server(clock);
    a.aggregate.register(identity, declared, clock.now);
    report(a.aggregate, 100);
    const stored = a.flush(true)!;
    report(a.aggregate, 180);
    // The reporter reconnects to the same server: the stored counters are behind its own.
    a.aggregate.register(identity, declared, clock.now);
    restore(a.aggregate, run.ref.runId, stored);
    report(a.aggregate, 200);
    a.flush(true);
    expect(a.written).toBe(200);
  });
});
