/**
 * `npm run bench:ingest` — how many breaker reports the panel ingests and
 * stores per second, how fast a report reaches a dashboard, what it costs the
 * server in CPU and memory, and how that compares with a bare Socket.IO server
 * on the same machine. See docs/performance.md ("Ingest") for the method.
 *
 * Processes: this one (orchestrator and dashboard socket), an embedded
 * Postgres, the panel (scripts/bench/panel-process.ts), the fleet
 * (scripts/bench/simulated-fleet.ts) and, for the ceiling, a bare Socket.IO
 * server (scripts/bench/bare-socket-server.ts). Everything listens on
 * 127.0.0.1, and everything is stopped and removed at the end, also on failure.
 *
 * Usage: npm run bench:ingest -- [--quick] [--instances 2000] [--breakers 50] …
 */
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import { startThrowawayPostgres } from './bench/throwaway-postgres';
import { buildServer, SERVER_BUILD_DIR } from './build-server';
import { mallocSettingsFrom } from '../server/malloc-settings';
import { NODE_START_FLAGS } from '../server/v8-memory-flags';
import { parseArgs, type BenchArgs } from './bench/args';
import { startChild } from './bench/child';
import { watchDashboard } from './bench/dashboard-watcher';
import { SLICE_MS, type AckedTotals, type BareMessage, type FleetMessage, type FleetRequest, type FleetSpec, type PanelMessage, type PanelRequest, type PhaseStats } from './bench/messages';
import { cpuMeter, findProcess, peakRssBytes, processTree } from './bench/proc-stats';
import { quantile } from './bench/quantile';
import { int, line, mib, ms, pct } from './bench/report';
import { storedTotals } from './bench/stored-totals';
import { runBench } from './bench/run-bench';
import { connectFleet, type Fleet } from './bench/fleet-connect';

const TARGET = { reportsPerSecond: 100_000, ofCeiling: 0.7, p99Ms: 300, rssBytes: 500 * 1024 * 1024 };
const HERE = import.meta.dirname;
const ADMIN = { email: 'bench@example.test', password: 'bench-password-not-secret' };
// A delta later than this is not "live" any more: the probe report counts as lost.
const PROBE_GIVE_UP_MS = 5_000;

/** Extra Node flags for a child from an environment variable (profiles, V8 options), space-separated. */
const nodeFlagsFrom = (variable: string): string[] => (process.env[variable] ?? '').split(' ').filter(Boolean);

/** Cleanup steps, run newest first, once, whatever happened. */
const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | null = null;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
  })());

function startFleet(args: BenchArgs, url: string, keys: Record<string, string>): Fleet {
  const spec: FleetSpec = { url, keys, instances: args.instances, breakers: args.breakers, instancesPerService: args.instancesPerService, probes: args.probes };
  const fleet = startChild<FleetRequest, FleetMessage>(path.join(HERE, 'bench/simulated-fleet.ts'), {
    name: 'fleet',
    env: { BENCH_FLEET: JSON.stringify(spec) },
    execArgv: nodeFlagsFrom('BENCH_FLEET_EXEC_ARGV'),
  });
  cleanups.push(() => fleet.stop());
  return fleet;
}

/** Runs one fleet phase, sampling the CPU of each set of processes over its measurement window. */
async function runPhase(fleet: Fleet, request: Extract<FleetRequest, { type: 'paced' | 'closed' }>, pids: Record<string, () => number[]>, mainThreadOf?: number) {
  const meters = Object.fromEntries(Object.entries(pids).map(([name, which]) => [name, cpuMeter(which)]));
  // The main thread alone: the one that serves every socket.
  if (mainThreadOf !== undefined) meters.serverMainThread = cpuMeter(() => [mainThreadOf], true);
  const budget = request.warmupMs + request.windowMs + 60_000;
  fleet.send(request);
  const done = fleet.next('phase', budget);
  // Timed here, not by messages from the fleet: against the bare server the fleet's own timers fired seconds late (libuv
  // reads up to 48 rounds of ready sockets before it runs timers), and the ceiling's CPU was sampled over the wrong span.
  await sleep(request.warmupMs);
  for (const meter of Object.values(meters)) meter.start();
  await sleep(request.windowMs);
  for (const meter of Object.values(meters)) meter.stop();
  const { stats, totals } = await done;
  if (stats.errors > 0) throw new Error(`${stats.errors} reports were refused: ${stats.firstError}`);
  const cores = Object.fromEntries(Object.entries(meters).map(([name, meter]) => [name, meter.cores ?? NaN]));
  return { stats, totals, cores, rate: (stats.ackedInWindow * stats.breakersPerReport) / (stats.windowMs / 1000) };
}

/** The window's rate in each slice, breaker-reports/s: a steady rate, or one that moved within the window. */
const bySlice = (stats: PhaseStats) => stats.ackedBySlice.map((acked, slice) => int((acked * stats.breakersPerReport) / (Math.min(SLICE_MS, stats.windowMs - slice * SLICE_MS) / 1000))).join(', ');

type Ceiling = { rate: number; cores: Record<string, number>; stats: PhaseStats };

async function measureCeiling(args: BenchArgs): Promise<Ceiling> {
  const bare = startChild<never, BareMessage>(path.join(HERE, 'bench/bare-socket-server.ts'), { name: 'bare Socket.IO server' });
  cleanups.push(() => bare.stop());
  const { port } = await bare.next('ready', 30_000);
  const fleet = startFleet(args, `http://127.0.0.1:${port}`, {});
  await connectFleet(fleet, 'the bare Socket.IO server');
  const result = await runPhase(fleet, { type: 'closed', warmupMs: 2_000, windowMs: args.closed * 1000 }, { server: () => [bare.pid], fleet: () => [fleet.pid] });
  fleet.send({ type: 'close' });
  await fleet.stop();
  await bare.stop();
  return result;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const offered = (args.instances * args.breakers * 1000) / args.intervalMs;
  const services = Math.ceil(args.instances / args.instancesPerService);
  console.log(
    `bench:ingest — ${int(args.instances)} instances × ${args.breakers} breakers, ${int(services)} services, one report per instance every ${args.intervalMs} ms (${int(offered)} breaker-reports/s offered)`,
  );
  console.log(
    `machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}${args.quick ? '; --quick: a smoke run, the targets apply to the default load' : ''}\n`,
  );

  // Measured before and after the panel: how fast this machine runs drifts over minutes, and the panel's loop lies between.
  const ceilings: Ceiling[] = [];
  const measureCeilingNow = async (when: string) => {
    console.log(`ceiling ${when}: bare Socket.IO server, closed loop`);
    const ceiling = await measureCeiling(args);
    ceilings.push(ceiling);
    console.log(`  ${int(ceiling.rate)} breaker-reports/s\n`);
  };
  if (!args.skipCeiling) await measureCeilingNow('before the panel');

  console.log('panel: embedded Postgres, panel server process, fleet process');
  const { postgres: cluster, dataDir } = await startThrowawayPostgres('bench', cleanups);
  await cluster.createDatabase('bench');
  const databaseUrl = cluster.urlFor('bench');

  const serviceNames = Array.from({ length: services }, (_, index) => `svc-${index}`);
  // The panel runs compiled, with the same V8 flags and malloc settings, as `npm start` runs it.
  const rootDir = path.resolve(HERE, '..');
  await buildServer(rootDir, { 'bench-panel': 'scripts/bench/panel-process.ts' });
  const panel = startChild<PanelRequest, PanelMessage>(path.join(rootDir, SERVER_BUILD_DIR, 'bench-panel.mjs'), {
    name: 'panel',
    execArgv: [...NODE_START_FLAGS, ...(args.profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(args.profileDir)] : []), ...nodeFlagsFrom('BENCH_PANEL_EXEC_ARGV')],
    env: {
      ...mallocSettingsFrom(process.env),
      BENCH_ROOT_DIR: rootDir,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      BENCH_SERVICES: JSON.stringify(serviceNames),
    },
  });
  cleanups.push(() => panel.stop(20_000));
  const ready = await panel.next('ready', 120_000);
  const url = `http://127.0.0.1:${ready.port}`;
  const dashboard = await watchDashboard(url, ADMIN);
  cleanups.push(async () => dashboard.close());
  const fleet = startFleet(args, url, ready.keys);
  await connectFleet(fleet, 'the panel');

  console.log(`  paced: ${args.warmup} s warm-up, ${args.duration} s measured`);
  const postmaster = findProcess(dataDir);
  const meters = { server: () => [panel.pid], fleet: () => [fleet.pid], postgres: () => (postmaster ? processTree(postmaster) : []), dashboard: () => [process.pid] };
  const paced = await runPhase(fleet, { type: 'paced', warmupMs: args.warmup * 1000, windowMs: args.duration * 1000, intervalMs: args.intervalMs }, meters, panel.pid);
  console.log(`  closed loop: 2 s warm-up, ${args.closed} s measured`);
  const closed = await runPhase(fleet, { type: 'closed', warmupMs: 2_000, windowMs: args.closed * 1000 }, meters, panel.pid);
  fleet.send({ type: 'close' });
  await fleet.stop();

  // Everything acknowledged must be in the buckets once the flusher has run.
  panel.send({ type: 'flush' });
  const flushed = await panel.next('flushed', 60_000);
  const peakRss = peakRssBytes(panel.pid);
  const stored = await storedTotals(databaseUrl);
  const probe = dashboard.latencies(paced.stats.probes, PROBE_GIVE_UP_MS);
  dashboard.close();
  await panel.stop(20_000);
  // Postgres goes on writing checkpoints and vacuuming after the load: the ceiling after needs the machine as quiet as before.
  await cluster.stop();
  if (!args.skipCeiling) await measureCeilingNow('after the panel');
  printResults({ args, offered, ceilings, paced, closed, probe, peakRss, stored, totals: closed.totals, flushed, deltas: dashboard.deltas });
}

function printResults(r: {
  args: BenchArgs;
  offered: number;
  ceilings: Ceiling[];
  paced: Awaited<ReturnType<typeof runPhase>>;
  closed: Awaited<ReturnType<typeof runPhase>>;
  probe: { latencies: number[]; lost: number };
  peakRss: number;
  stored: Awaited<ReturnType<typeof storedTotals>>;
  totals: AckedTotals;
  flushed: Extract<PanelMessage, { type: 'flushed' }>;
  deltas: number;
}): void {
  const { args, paced, closed } = r;
  const rateTarget = Math.min(TARGET.reportsPerSecond, r.offered);
  // Sustained means every report of the window acknowledged, and within one report interval.
  const keptUp = paced.stats.unacknowledged === 0 && paced.stats.skipped === 0 && (paced.stats.ackP99Ms ?? Infinity) <= args.intervalMs;
  const storedShare = r.totals.counters === 0 ? 0 : r.stored.breakerBuckets.counters / r.totals.counters;
  const storedExact = r.stored.breakerBuckets.counters === r.totals.counters && r.stored.breakerBuckets.histogram === r.totals.histogram;
  const instanceExact = r.stored.instanceBuckets.counters === r.totals.counters && r.stored.instanceBuckets.histogram === r.totals.histogram;
  const p50 = quantile(r.probe.latencies, 0.5);
  const p99 = quantile(r.probe.latencies, 0.99);
  const tracked = r.flushed.tracked;
  const pairsTarget = args.instances * args.breakers >= 100_000;

  console.log(`\nresults (${args.duration} s paced window, ${args.closed} s closed-loop windows)`);
  console.log(line('ingested (acked), paced', `${int(paced.rate)} breaker-reports/s`, { text: `≥ ${int(rateTarget)}/s`, pass: paced.rate >= rateTarget * 0.999 && keptUp }));
  console.log(line('  ack latency p50 / p99', `${ms(paced.stats.ackP50Ms)} / ${ms(paced.stats.ackP99Ms)}${keptUp ? '' : ' (fell behind)'}`));
  console.log(line('stored (10 s buckets, after flush)', `${int(paced.rate * storedShare)} breaker-reports/s`, { text: '= ingested', pass: storedExact }));
  console.log(line('  counter sums stored / acked', `${int(r.stored.breakerBuckets.counters)} / ${int(r.totals.counters)} (${pct(storedShare)})`));
  console.log(line('  histogram sums stored / acked', `${int(r.stored.breakerBuckets.histogram)} / ${int(r.totals.histogram)}`));
  console.log(line('  per-instance buckets', instanceExact ? 'equal to acked' : `counters ${int(r.stored.instanceBuckets.counters)}, histogram ${int(r.stored.instanceBuckets.histogram)}`));
  console.log(line('  final flush', `${ms(r.flushed.flushMs)}`));
  console.log(line('server event-loop delay p99 / max', `${ms(r.flushed.loopDelayMs.p99)} / ${ms(r.flushed.loopDelayMs.max)}`));
  console.log(line('report → dashboard p50', ms(p50)));
  console.log(
    line('report → dashboard p99', `${ms(p99)} (${int(r.probe.latencies.length)} probes, ${r.probe.lost} lost)`, {
      text: `≤ ${TARGET.p99Ms} ms`,
      pass: p99 !== null && p99 <= TARGET.p99Ms && r.probe.lost === 0,
    }),
  );
  const others = (cores: Record<string, number>) => `(Postgres ${cores.postgres!.toFixed(2)}, fleet ${cores.fleet!.toFixed(2)}, dashboard ${cores.dashboard!.toFixed(2)})`;
  const mainThread = (cores: Record<string, number>) => `main thread ${cores.serverMainThread!.toFixed(2)}`;
  console.log(line('server CPU, paced', `${paced.cores.server!.toFixed(2)} cores, ${mainThread(paced.cores)} ${others(paced.cores)}`));
  console.log(line('server CPU, closed loop', `${closed.cores.server!.toFixed(2)} cores, ${mainThread(closed.cores)} ${others(closed.cores)}`));
  console.log(
    line('server peak RSS (VmHWM)', `${mib(r.peakRss)}, ${int(tracked.pairs)} breaker×instance tracked`, {
      text: `≤ ${mib(TARGET.rssBytes)}`,
      pass: r.peakRss <= TARGET.rssBytes && (pairsTarget || args.quick),
    }),
  );
  const memory = r.flushed.peakMemory;
  console.log(line('  peaks by kind', `JS heap ${mib(memory.heapUsed)} used of ${mib(memory.heapTotal)}, external ${mib(memory.external)} (array buffers ${mib(memory.arrayBuffers)})`));
  console.log(line('  tracked', `${int(tracked.instances)} instances, ${int(tracked.breakers)} service-wide breakers`));
  console.log(line('panel, closed loop', `${int(closed.rate)} breaker-reports/s (ack p99 ${ms(closed.stats.ackP99Ms)})`));
  console.log(line(`  by ${SLICE_MS / 1000} s`, bySlice(closed.stats)));
  if (r.ceilings.length > 0) {
    const ceiling = r.ceilings.reduce((sum, each) => sum + each.rate, 0) / r.ceilings.length;
    const share = closed.rate / ceiling;
    // The fleet does the same work per report against either server: what that cost says how fast the machine ran in each loop.
    const fleetMicros = (loop: { rate: number; cores: Record<string, number> }) => int((loop.cores.fleet! * 1e6) / (loop.rate / args.breakers));
    for (const [index, each] of r.ceilings.entries()) {
      const when = index === 0 ? 'before' : 'after';
      console.log(line(`ceiling ${when}: bare Socket.IO`, `${int(each.rate)} breaker-reports/s (server ${each.cores.server!.toFixed(2)}, fleet ${each.cores.fleet!.toFixed(2)} cores)`));
      console.log(line(`  by ${SLICE_MS / 1000} s`, bySlice(each.stats)));
      console.log(line('  fleet CPU per report', `${fleetMicros(each)} µs (${fleetMicros(closed)} µs in the panel's loop)`));
    }
    console.log(line(`panel / ceiling${r.ceilings.length > 1 ? ' (their mean)' : ''}`, `${pct(share)} of ${int(ceiling)}`, { text: `≥ ${pct(TARGET.ofCeiling)}`, pass: share >= TARGET.ofCeiling }));
  }
}

runBench('bench:ingest', 15, main, cleanUp);
