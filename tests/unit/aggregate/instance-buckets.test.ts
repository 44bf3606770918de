import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAggregate } from '../../../server/aggregate/aggregate';
import type { PendingBatch } from '../../../server/aggregate/pending-writes';
import { nameFullReport } from '../../../server/ingest/named-report';
import type { BucketRows } from '../../../server/store/bucket-store';
import { instanceRun } from '../../fixtures/protocol-messages';

/*
 * A pair's per-instance buckets are derived once per bucket from its totals
 * (Aggregate: closePairBucket), while the service-wide ones add every delta
 * as it comes. With one instance, each breaker's two must agree bucket for
 * bucket, whatever the reports, restarts and flushes.
 */

const BREAKERS = ['payments', 'ledger'] as const;

type Step =
  | { kind: 'report'; breaker: number; success: number; failure: number; latencyBucket: number }
  | { kind: 'counters go back'; breaker: number }
  | { kind: 'histogram narrows'; breaker: number }
  | { kind: 'histogram moves alone'; breaker: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'flush'; all: boolean }
  | { kind: 'new run registered' }
  | { kind: 'new run reports without registering' }
  | { kind: 'server restarted mid-run' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('report' as const), breaker: fc.integer({ min: 0, max: 1 }), success: fc.nat(50), failure: fc.nat(5), latencyBucket: fc.nat(65) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('counters go back' as const), breaker: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('histogram narrows' as const), breaker: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('histogram moves alone' as const), breaker: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 25_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flush' as const), all: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'new run registered' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'new run reports without registering' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'server restarted mid-run' as const }) },
);

/** Sums rows by breaker and bucket: every count and histogram number, as a string key → number. */
function sumRows(rows: BucketRows, into: Map<string, number>): void {
  for (let row = 0; row < rows.length; row++) {
    const key = `${rows.breakerId(row)}@${rows.bucketStart(row)}`;
    const numbers = [...Array.from({ length: 6 }, (_, kind) => rows.count(row, kind)), ...rows.histogram(row)];
    numbers.forEach((value, index) => {
      if (value !== 0) into.set(`${key}#${index}`, (into.get(`${key}#${index}`) ?? 0) + value);
    });
  }
}

describe('per-instance buckets', () => {
  it('equal the service-wide buckets of a breaker on one instance, across bucket edges, restarts and flushes', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 9_999 }), (steps, startOffset) => {
        let clock = 1_000_000 + startOffset;
        let aggregate = createAggregate({ now: () => clock, staleAfterMs: 3_600_000, bucketSeconds: 10 });
        let run = instanceRun('checkout', 'a');
        const declared = BREAKERS.map((name, b) => ({ breakerId: `b${b}`, name, config: null }));
        const identity = () => ({ id: 'i-a', serviceId: 's1', serviceName: 'checkout', name: 'a', labels: {}, runId: run.ref.runId });
        aggregate.register(identity(), declared, clock);
        // What this run has counted so far, per breaker: the cumulative numbers a reporter sends.
        let cumulative = BREAKERS.map(() => ({ success: 0, failure: 0, latency: [] as number[] }));
        const breakerSums = new Map<string, number>();
        const instanceSums = new Map<string, number>();
        const written = (batch: PendingBatch) => {
          sumRows(batch.breakerBuckets, breakerSums);
          sumRows(batch.instanceBuckets, instanceSums);
          aggregate.pending.release(batch);
        };
        const report = () =>
          aggregate.applyReport(
            'i-a',
            nameFullReport(run.report(BREAKERS.map((name, b) => run.breaker(name, { success: cumulative[b]!.success, failure: cumulative[b]!.failure }, 'CLOSED', cumulative[b]!.latency)))),
          );

        for (const item of steps) {
          switch (item.kind) {
            case 'report': {
              const counts = cumulative[item.breaker]!;
              counts.success += item.success;
              counts.failure += item.failure;
              while (counts.latency.length <= item.latencyBucket) counts.latency.push(0);
              counts.latency[item.latencyBucket]! += item.success + item.failure;
              report();
              break;
            }
            case 'counters go back':
              cumulative[item.breaker] = { success: 1, failure: 0, latency: [1] };
              report();
              break;
            case 'histogram narrows':
              cumulative[item.breaker]!.latency = cumulative[item.breaker]!.latency.slice(0, 1);
              report();
              break;
            case 'histogram moves alone':
              // No reporter sends this; a delta without outcomes is counted nowhere, and not in the pair's bucket either.
              cumulative[item.breaker]!.latency[0] = (cumulative[item.breaker]!.latency[0] ?? 0) + 1;
              report();
              break;
            case 'advance':
              clock += item.ms;
              break;
            case 'flush':
              written(aggregate.pending.take(item.all ? Infinity : aggregate.pending.bucketOf(clock)));
              break;
            case 'new run registered':
              run = instanceRun('checkout', 'a');
              cumulative = BREAKERS.map(() => ({ success: 0, failure: 0, latency: [] }));
              aggregate.register(identity(), declared, clock);
              break;
            case 'new run reports without registering':
              run = instanceRun('checkout', 'a');
              cumulative = BREAKERS.map(() => ({ success: 0, failure: 0, latency: [] }));
              report();
              break;
            case 'server restarted mid-run': {
              // What was owed is written at shutdown; the new server knows the instance from the catalog, without a baseline.
              written(aggregate.pending.take());
              aggregate = createAggregate({ now: () => clock, staleAfterMs: 3_600_000, bucketSeconds: 10 });
              aggregate.register(identity(), declared, clock, 'catalog');
              break;
            }
          }
        }
        written(aggregate.pending.take());
        expect(Object.fromEntries(instanceSums)).toEqual(Object.fromEntries(breakerSums));
      }),
      { numRuns: 300 },
    );
  });

  it("holds a pair's counts in its open bucket until asked for all, and writes each closed bucket once", () => {
    let clock = 1_005_000;
    const aggregate = createAggregate({ now: () => clock, staleAfterMs: 3_600_000, bucketSeconds: 10 });
    const run = instanceRun('checkout', 'a');
    aggregate.register({ id: 'i-a', serviceId: 's1', serviceName: 'checkout', name: 'a', labels: {}, runId: run.ref.runId }, [{ breakerId: 'b1', name: 'payments', config: null }], clock);
    const report = (success: number) => aggregate.applyReport('i-a', nameFullReport(run.report([run.breaker('payments', { success })])));
    const rows = (batch: PendingBatch) => Array.from({ length: batch.instanceBuckets.length }, (_, row) => [batch.instanceBuckets.bucketStart(row), batch.instanceBuckets.count(row, 0)]);
    report(3);
    report(5);
    clock += 10_000;
    report(6);
    // The pair has reported in the new bucket: its closed one is owed; the open one (1 call so far) is held.
    const periodic = aggregate.pending.take(aggregate.pending.bucketOf(clock));
    expect(rows(periodic)).toEqual([[1_000_000, 5]]);
    aggregate.pending.release(periodic);
    clock += 10_000;
    // It has not reported since its bucket ended: the flush closes that bucket for it.
    const swept = aggregate.pending.take(aggregate.pending.bucketOf(clock));
    expect(rows(swept)).toEqual([[1_010_000, 1]]);
    aggregate.pending.release(swept);
    expect(rows(aggregate.pending.take(aggregate.pending.bucketOf(clock)))).toEqual([]);
    report(10);
    expect(rows(aggregate.pending.take())).toEqual([[1_020_000, 4]]);
  });
});
