/**
 * `npm run bench:report-path` — what one compact report costs on the panel's
 * main thread, step by step, in one process without sockets or Postgres:
 * `JSON.parse` of its text, the schema check (`ZCompactReport`) and
 * `applyReport` into an aggregate that holds every pair of the ingest
 * benchmark's default load (2,000 instances × 50 breakers, ten instances per
 * service sharing breaker names). Reports come from that benchmark's simulated
 * instances and are applied round-robin, one per instance per round, as in
 * its closed loop. Prints the median microseconds per report of each step
 * over the rounds. See docs/performance.md ("Where a report's time goes").
 *
 * Usage: npm run bench:report-path [-- --rounds 40]
 */
import { randomUUID } from 'node:crypto';
import { ZCompactReport } from '../lib/protocol/compact-report.js';
import { createAggregate } from '../server/aggregate/aggregate';
import type { NamedReport } from '../server/ingest/named-report';
import { SimulatedInstance } from './bench/simulated-instance';

const INSTANCES = 2_000;
const BREAKERS = 50;
const PER_SERVICE = 10;
const WARM_UP_ROUNDS = 10;
// The closed loop's pace: about 6,000 reports a second.
const MS_PER_REPORT = 0.16;

const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 40;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a whole number ≥ 1');

let clock = Date.now();
const aggregate = createAggregate({ now: () => clock, staleAfterMs: 60_000, bucketSeconds: 10 });
const breakerIds = new Map<string, string>();
const fleet = Array.from({ length: INSTANCES }, (_, index) => {
  const service = `svc-${Math.floor(index / PER_SERVICE)}`;
  const instance = new SimulatedInstance(service, index, BREAKERS, false);
  const registration = instance.registration();
  const declared = registration.breakers.map(({ name, config }) => {
    const key = `${service}/${name}`;
    if (!breakerIds.has(key)) breakerIds.set(key, randomUUID());
    return { breakerId: breakerIds.get(key)!, name, config };
  });
  const id = randomUUID();
  aggregate.register({ id, serviceId: service, serviceName: service, name: registration.instanceId, labels: {}, runId: registration.runId, sdk: null }, declared, clock);
  const context = { service, instanceId: registration.instanceId, runId: registration.runId, names: declared.map(({ name }) => name) };
  return { instance, id, context };
});

const steps = ['JSON.parse', 'schema check', 'applyReport'] as const;
let bytes = 0;

/** One report per instance; the nanoseconds each step took, summed. */
function round(): number[] {
  const spent = [0n, 0n, 0n];
  for (const { instance, id, context } of fleet) {
    const text = JSON.stringify(instance.nextReport());
    bytes = text.length;
    clock += MS_PER_REPORT;
    const start = process.hrtime.bigint();
    const parsed: unknown = JSON.parse(text);
    const parsedAt = process.hrtime.bigint();
    const numbers = ZCompactReport.parse(parsed);
    const checkedAt = process.hrtime.bigint();
    const report: NamedReport = { ...context, numbers };
    if (aggregate.applyReport(id, report) !== 'applied') throw new Error('a report was not applied');
    const appliedAt = process.hrtime.bigint();
    spent[0]! += parsedAt - start;
    spent[1]! += checkedAt - parsedAt;
    spent[2]! += appliedAt - checkedAt;
  }
  // The dashboards take what changed several times a second; the flusher takes closed buckets.
  aggregate.dirty.takeStateChanges();
  aggregate.dirty.takeDirty();
  aggregate.pending.release(aggregate.pending.take(aggregate.pending.bucketOf(clock)));
  return spent.map((ns) => Number(ns) / 1_000 / INSTANCES);
}

for (let i = 0; i < WARM_UP_ROUNDS; i++) round();
const perStep = steps.map(() => [] as number[]);
for (let i = 0; i < rounds; i++) round().forEach((us, step) => perStep[step]!.push(us));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`bench:report-path — ${INSTANCES.toLocaleString('en')} instances × ${BREAKERS} breakers, ${rounds} rounds; a report is ${bytes.toLocaleString('en')} bytes of JSON`);
steps.forEach((step, index) => console.log(`  ${step.padEnd(14)} ${median(perStep[index]!).toFixed(1).padStart(6)} µs per report (median of rounds)`));
