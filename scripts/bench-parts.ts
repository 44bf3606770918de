/**
 * `npm run bench:parts` — what the cluster's exchange of parts costs per part,
 * in one process without Postgres: two servers each publish a batch of every
 * breaker's part once a "second" (every row's reports moved, as at a steady
 * load), and a third reads both servers' batches and merges each breaker's
 * summary. Prints microseconds per part for publishing (encode and
 * JSON.stringify), reading (JSON.parse, the checks and the decode), the
 * check alone, and the merge, and the bytes per part. See
 * docs/performance.md ("Cluster").
 *
 * Usage: npm run bench:parts [-- --breakers 1500 --rows 4 --rounds 40]
 */
import { randomUUID } from 'node:crypto';
import type { TBreakerInstance } from '../lib/api/breaker-detail.js';
import type { TBreakerConfig } from '../lib/protocol/breaker-config.js';
import { summaryOf, type BreakerPartial } from '../server/aggregate/breaker-views';
import { COUNT_WIDTH, countRow, HISTOGRAM_OFFSET } from '../server/aggregate/counter-deltas';
import { checkEntry } from '../server/cluster/part-check';
import { createPartDecoder } from '../server/cluster/part-decoder';
import { BatchConfigs, createPartEncoder } from '../server/cluster/part-encoder';
import { PART_FORMAT, ZPartBatch, type TPartBatch, type TWireEntry } from '../server/cluster/part-wire';
import { createRemotePartials } from '../server/cluster/remote-partials';

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number ≥ 1`);
  return value;
};
const BREAKERS = option('--breakers', 1500);
const ROWS = option('--rows', 4);
const ROUNDS = option('--rounds', 40);

const config: TBreakerConfig = {
  implementation: 'breaker-panel',
  window: { type: 'count', size: 100 },
  failureRateThreshold: 50,
  slowCallThresholdMs: 1_000,
  slowCallRateThreshold: 80,
  minimumCalls: 10,
  openTimeoutMs: 5_000,
  openTimeoutBackoff: null,
  halfOpenMaxCalls: 3,
  callTimeoutMs: null,
  hasFallback: false,
};

/** One server's instances of every breaker, and what a second of reports moves in them. */
function fleet(server: string) {
  const breakers = Array.from({ length: BREAKERS }, (_, b) => ({
    id: randomUUID(),
    service: `svc-${b % 30}`,
    name: `breaker-${b}`,
    instances: Array.from({ length: ROWS }, (_, i) => ({ id: randomUUID(), name: `${server}-host-${i}`, labels: { zone: `zone-${i % 3}` } })),
  }));
  return (second: number) =>
    breakers.map((breaker) => {
      const at = 1_000_000 + second * 1_000;
      const rows: TBreakerInstance[] = breaker.instances.map((instance, i) => ({
        instanceId: instance.id,
        name: instance.name,
        labels: instance.labels,
        state: 'CLOSED',
        wouldBe: 'CLOSED',
        stale: false,
        lastReportAt: at + i,
        stateSince: 1_000_000,
        window: { calls: 100, failureRate: ((second + i) % 7) * 1.5, slowCallRate: 0 },
        config,
        client: { kind: 'node-sdk', sdk: '@breaker-panel/sdk typescript', transport: 'socket', readOnly: false },
      }));
      const row = countRow();
      row[0] = 50 * ROWS * (second + 1);
      row[1] = 3 * second;
      for (let k = 0; k < 8; k++) row[HISTOGRAM_OFFSET + 18 + k] = (second + 1) * (k + 1);
      const partial: BreakerPartial = {
        id: breaker.id,
        service: breaker.service,
        name: breaker.name,
        byState: { CLOSED: ROWS, OPEN: 0, HALF_OPEN: 0, FORCED_OPEN: 0, FORCED_CLOSED: 0 },
        wouldBe: 'CLOSED',
        total: ROWS,
        stale: 0,
        state: 'CLOSED',
        stateSince: 1_000_000,
        lastReportAt: at + ROWS,
        window: { row, width: COUNT_WIDTH, start: at - 60_000 },
        clients: { kinds: ['node-sdk'], httpInstances: 0 },
      };
      return { partial, rows };
    });
}

const servers = ['b', 'c'].map((id) => ({ id, moves: fleet(id), encoder: createPartEncoder(), decoder: createPartDecoder() }));
const remote = createRemotePartials({ serverId: 'a' });
const time = { publish: 0, read: 0, parse: 0, check: 0, merge: 0, bytes: 0, parts: 0 };

for (let round = 0; round <= ROUNDS; round++) {
  // Round 0 is a whole batch (every row with its setting), left out of the figures as the warm-up.
  const measured = round > 0;
  const bodies: string[] = [];
  for (const server of servers) {
    const parts = server.moves(round);
    const started = performance.now();
    const configs = new BatchConfigs();
    const entries: TWireEntry[] = parts.map(({ partial, rows }) => server.encoder.encode(partial, rows, false, configs));
    const body = JSON.stringify({ format: PART_FORMAT, configs: configs.list, parts: entries } satisfies TPartBatch);
    if (measured) time.publish += performance.now() - started;
    bodies.push(body);
    if (measured) {
      time.bytes += body.length;
      time.parts += parts.length;
    }
  }
  servers.forEach((server, s) => {
    const started = performance.now();
    const batch = ZPartBatch.parse(JSON.parse(bodies[s]!));
    for (const value of batch.parts) {
      const entry = checkEntry(value, batch.configs.length);
      if (typeof entry === 'string' || entry.length !== 6) throw new Error(`unreadable part: ${String(entry)}`);
      const decoded = server.decoder.decode(entry, batch.configs);
      if (!decoded) throw new Error('a part not taken');
      remote.set(server.id, entry[0], decoded);
    }
    if (measured) time.read += performance.now() - started;
    const parsing = performance.now();
    const { parts: parsed, configs } = JSON.parse(bodies[s]!) as { parts: unknown[]; configs: unknown[] };
    const checked = performance.now();
    if (measured) time.parse += checked - parsing;
    for (const value of parsed) checkEntry(value, configs.length);
    if (measured) time.check += performance.now() - checked;
  });
  remote.takeChanged();
  const started = performance.now();
  for (const id of remote.views.remoteOnly()) {
    const merged = remote.views.merge(id.id, undefined, 1_000_000 + round * 1_000);
    if (merged) summaryOf(merged.partials, 1_000_000 + round * 1_000, { demo: merged.demo, override: null });
  }
  if (measured) time.merge += performance.now() - started;
}

const perPart = (ms: number) => `${((ms * 1_000) / time.parts).toFixed(2)} µs`;
process.stdout.write(
  [
    `bench:parts — ${BREAKERS} breakers × ${ROWS} instance rows on each of 2 servers, ${ROUNDS} rounds in which every row moved`,
    `  publish (encode + JSON.stringify)       ${perPart(time.publish)} per part`,
    `  read (JSON.parse + checks + decode)     ${perPart(time.read)} per part`,
    `    of which JSON.parse                   ${perPart(time.parse)} per part`,
    `    of which the check                    ${perPart(time.check)} per part`,
    `  merge (two servers' parts, summary)     ${((time.merge * 1_000) / (BREAKERS * ROUNDS)).toFixed(2)} µs per breaker`,
    `  batch size                              ${Math.round(time.bytes / time.parts)} bytes per part`,
    '',
  ].join('\n'),
);
