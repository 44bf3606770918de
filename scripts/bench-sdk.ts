/**
 * `npm run bench:sdk` — the hot-path overhead of `execute`, against a bare
 * `await fn()`, opossum's `fire()` and cockatiel's breaker `execute()`, all on
 * an async function that resolves at once, in one process and one run.
 *
 * Contenders run in interleaved rounds (A B C D, A B C D, …) so that JIT
 * warm-up, GC and CPU frequency drift hit them all alike; each figure is the
 * median of its rounds. Usage: `npm run bench:sdk -- [--rounds 9] [--ms 300]`.
 */
import { circuitBreaker, ConsecutiveBreaker, handleAll } from 'cockatiel';
import Opossum from 'opossum';
import { createCircuitBreaker } from '../sdk/src/index.js';

interface Contender {
  name: string;
  /** Runs `count` sequential awaited calls. */
  run(count: number): Promise<void>;
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

const rounds = argument('rounds', 9);
const roundMs = argument('ms', 300);
const BATCH = 10_000;

const resolvesAtOnce = async (): Promise<number> => 1;

const breaker = createCircuitBreaker({ name: 'bench' });
const opossum = new Opossum(resolvesAtOnce, { timeout: false, resetTimeout: 30_000 });
const cockatiel = circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) });

const contenders: Contender[] = [
  {
    name: 'bare await fn()',
    async run(count) {
      for (let i = 0; i < count; i++) await resolvesAtOnce();
    },
  },
  {
    name: 'breaker-panel execute()',
    async run(count) {
      for (let i = 0; i < count; i++) await breaker.execute(resolvesAtOnce);
    },
  },
  {
    name: 'opossum fire()',
    async run(count) {
      for (let i = 0; i < count; i++) await opossum.fire();
    },
  },
  {
    name: 'cockatiel execute()',
    async run(count) {
      for (let i = 0; i < count; i++) await cockatiel.execute(resolvesAtOnce);
    },
  },
];

/** Ops per second of one timed round: whole batches until the round's time is up. */
async function measure(contender: Contender): Promise<number> {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    await contender.run(BATCH);
    calls += BATCH;
    elapsed = performance.now() - start;
  } while (elapsed < roundMs);
  // Let the turn end between rounds, as it would between requests.
  await new Promise((resolve) => setImmediate(resolve));
  return (calls / elapsed) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const format = (value: number): string => Math.round(value).toLocaleString('en-US').padStart(12);

async function main(): Promise<void> {
  // Warm-up round, not counted: every contender gets JIT-compiled first.
  for (const contender of contenders) await contender.run(50_000);
  const samples = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) samples.get(contender.name)?.push(await measure(contender));
  }
  const results = contenders.map((contender) => ({ name: contender.name, opsPerSecond: median(samples.get(contender.name) ?? [0]) }));
  const bare = results[0]?.opsPerSecond ?? 1;
  const ours = results[1]?.opsPerSecond ?? 1;
  console.log(`node ${process.version}, ${rounds} rounds × ${roundMs} ms, median ops/s (${new Date().toISOString()})`);
  console.log(`${'contender'.padEnd(26)}${'ops/s'.padStart(12)}   time per call vs bare   breaker-panel speed-up`);
  for (const result of results) {
    const costVsBare = bare / result.opsPerSecond;
    const ourSpeedUp = ours / result.opsPerSecond;
    console.log(`${result.name.padEnd(26)}${format(result.opsPerSecond)}   ${costVsBare.toFixed(2).padStart(8)}×              ${ourSpeedUp.toFixed(2).padStart(8)}×`);
  }
  const ratio = bare / ours;
  const beatsOthers = results.slice(2).every((result) => ours > result.opsPerSecond);
  console.log(`execute() costs ${ratio.toFixed(2)}× a bare await (target ≤ 1.5×): ${ratio <= 1.5 ? 'met' : 'NOT met'}; faster than opossum and cockatiel: ${beatsOthers ? 'yes' : 'NO'}`);
  opossum.shutdown();
}

await main();
