/**
 * `npm run bench:cluster` — three panel servers (`CLUSTER=on`) on one
 * throwaway embedded Postgres, a simulated fleet spread over them, and one
 * server killed with SIGKILL mid-run while its instances move to the others.
 * Prints the breaker-reports stored per second, how long a transition takes
 * to reach a dashboard on another server, how long until every instance
 * reports to a live server again, acknowledged against stored transitions
 * and counters, and the CPU per breaker-report of the cluster against one
 * server alone in the same run. See docs/performance.md ("Cluster").
 *
 * Processes: this one (orchestrator and dashboard socket), an embedded
 * Postgres, the panels (scripts/bench/panel-process.ts) and the fleet
 * (scripts/bench/simulated-fleet.ts). Everything listens on 127.0.0.1 and is
 * stopped and removed at the end, also on failure.
 *
 * Usage: npm run bench:cluster -- [--quick] [--instances 300] [--breakers 20] …
 */
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startThrowawayPostgres } from './bench/throwaway-postgres';
import { buildServer, SERVER_BUILD_DIR } from './build-server';
import { mallocSettingsFrom } from '../server/malloc-settings';
import { NODE_START_FLAGS } from '../server/v8-memory-flags';
import { startChild, type BenchChild } from './bench/child';
import { watchDashboard, type SeenTransition } from './bench/dashboard-watcher';
import type { FleetMessage, FleetRequest, FleetSpec, PanelMessage, PanelRequest, PhaseStats, ProbeSend } from './bench/messages';
import { cpuMeter, findProcess, processTree } from './bench/proc-stats';
import { quantile } from './bench/quantile';
import { int, line, ms, pct } from './bench/report';
import { storedTotals } from './bench/stored-totals';
import { runBench } from './bench/run-bench';
import { connectFleet, type Fleet } from './bench/fleet-connect';

const TARGET = { p99Ms: 300, wholeMs: 5_000, cpuRatio: 1.2 };
const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, '..');
const ADMIN = { email: 'bench@example.test', password: 'bench-password-not-secret' };
const SERVERS = 3;
// The server killed mid-run; the dashboard watches server 0, which stays up.
const KILLED = SERVERS - 1;
// A transition that reaches the dashboard later than this counts as lost.
const PROBE_GIVE_UP_MS = 5_000;

interface ClusterArgs {
  instances: number;
  breakers: number;
  instancesPerService: number;
  probes: number;
  intervalMs: number;
  /** Seconds: warm-up before each measured window, the window, and how long the fleet runs on after the kill. */
  warmup: number;
  duration: number;
  afterKill: number;
  quick: boolean;
}

const USAGE = `usage: npm run bench:cluster -- [--quick] [--instances N] [--breakers N] [--per-service N] [--probes N]
       [--interval-ms MS] [--warmup S] [--duration S] [--after-kill S]`;

function parseArgs(argv: readonly string[]): ClusterArgs {
  const quick = argv.includes('--quick');
  // The default fits a shared two-core machine that runs Postgres, three servers and the fleet at once.
  const args: ClusterArgs = quick
    ? { instances: 90, breakers: 10, instancesPerService: 10, probes: 18, intervalMs: 1000, warmup: 2, duration: 6, afterKill: 7, quick }
    : { instances: 300, breakers: 20, instancesPerService: 10, probes: 60, intervalMs: 1000, warmup: 5, duration: 20, afterKill: 15, quick };
  const numeric: Record<string, Exclude<keyof ClusterArgs, 'quick'>> = {
    '--instances': 'instances',
    '--breakers': 'breakers',
    '--per-service': 'instancesPerService',
    '--probes': 'probes',
    '--interval-ms': 'intervalMs',
    '--warmup': 'warmup',
    '--duration': 'duration',
    '--after-kill': 'afterKill',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--quick') continue;
    const key = numeric[flag];
    const value = Number(argv[++i]);
    if (!key) throw new Error(`unknown option ${flag}\n${USAGE}`);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a number\n${USAGE}`);
    args[key] = value;
  }
  if (args.instances < SERVERS || args.breakers < 1 || args.instancesPerService < 1 || args.duration <= 0 || args.afterKill <= 0 || args.intervalMs <= 0)
    throw new Error(`instances (at least ${SERVERS}), breakers, per-service, duration, after-kill and interval must be positive\n${USAGE}`);
  // Bounded on purpose: the whole run must end by itself in minutes.
  if (2 * (args.warmup + args.duration) + args.afterKill > 300) throw new Error('2 × (warmup + duration) + after-kill must stay within 300 s');
  return args;
}

type Panel = BenchChild<PanelRequest, PanelMessage>;

/** Cleanup steps, run newest first, once, whatever happened. */
const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | null = null;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
  })());

async function startPanel(name: string, env: Record<string, string>): Promise<{ panel: Panel; url: string; keys: Record<string, string> }> {
  const panel = startChild<PanelRequest, PanelMessage>(path.join(ROOT, SERVER_BUILD_DIR, 'bench-panel.mjs'), {
    name,
    execArgv: [...NODE_START_FLAGS],
    env: {
      ...mallocSettingsFrom(process.env),
      BENCH_ROOT_DIR: ROOT,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
  });
  cleanups.push(() => panel.stop(20_000));
  const ready = await panel.next('ready', 120_000);
  return { panel, url: `http://127.0.0.1:${ready.port}`, keys: ready.keys };
}

function startFleet(args: ClusterArgs, urls: string[], keys: Record<string, string>): Fleet {
  const spec: FleetSpec = {
    url: urls[0]!,
    urls,
    keys,
    instances: args.instances,
    breakers: args.breakers,
    instancesPerService: args.instancesPerService,
    probes: args.probes,
    transitions: true,
    failover: true,
  };
  const fleet = startChild<FleetRequest, FleetMessage>(path.join(HERE, 'bench/simulated-fleet.ts'), { name: 'fleet', env: { BENCH_FLEET: JSON.stringify(spec) } });
  cleanups.push(() => fleet.stop());
  return fleet;
}

/** One paced phase; the CPU of each set of processes is sampled over its measured window. */
async function pacedPhase(fleet: Fleet, args: ClusterArgs, warmupS: number, windowS: number, pids: Record<string, () => number[]>, during?: () => Promise<void>) {
  const meters = Object.fromEntries(Object.entries(pids).map(([name, which]) => [name, cpuMeter(which)]));
  fleet.send({ type: 'paced', warmupMs: warmupS * 1000, windowMs: windowS * 1000, intervalMs: args.intervalMs });
  const done = fleet.next('phase', (warmupS + windowS) * 1000 + 60_000);
  await sleep(warmupS * 1000);
  const windowStart = Date.now();
  for (const meter of Object.values(meters)) meter.start();
  await (during?.() ?? sleep(windowS * 1000));
  for (const meter of Object.values(meters)) meter.stop();
  const { stats, totals } = await done;
  const cores = Object.fromEntries(Object.entries(meters).map(([name, meter]) => [name, meter.cores ?? NaN]));
  return { stats, totals, cores, windowStart, windowEnd: Date.now(), rate: (stats.ackedInWindow * stats.breakersPerReport) / (stats.windowMs / 1000) };
}

/** The server a probe's instance was first given: the fleet spreads instance i over urls[i mod n]. */
const serverOfProbe = (name: string) => Number(name.slice('probe-'.length)) % SERVERS;

/**
 * Probe report → `transition:new` on the dashboard: each probe transition
 * sent in the window (a probe's state flips on every report, and each flip
 * is sent as a transition) matched with the record the dashboard got for it.
 */
function transitionLatencies(sends: readonly ProbeSend[], seen: readonly SeenTransition[]): { latencies: number[]; lost: number } {
  const byBreaker = new Map<string, SeenTransition[]>();
  for (const record of seen) byBreaker.set(record.breaker, [...(byBreaker.get(record.breaker) ?? []), record]);
  const latencies: number[] = [];
  let lost = 0;
  for (const send of sends) {
    // The transition is stamped when the fleet sends it, within a millisecond or two of the report's sentAt.
    const match = byBreaker.get(send.name)?.find((record) => Math.abs(record.at - send.sentAt) <= 20);
    if (match && match.receivedAt - match.at <= PROBE_GIVE_UP_MS) latencies.push(match.receivedAt - match.at);
    else lost += 1;
  }
  return { latencies, lost };
}

async function storedTransitions(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>('SELECT count(*)::text AS count FROM transitions WHERE instance_id IS NOT NULL');
    return Number(rows[0]!.count);
  } finally {
    await client.end();
  }
}

const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
const perReportUs = (cores: number, rate: number) => (rate > 0 ? (cores / rate) * 1e6 : NaN);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const offered = (args.instances * args.breakers * 1000) / args.intervalMs;
  console.log(
    `bench:cluster — ${int(args.instances)} instances × ${args.breakers} breakers, ${int(Math.ceil(args.instances / args.instancesPerService))} services, one report per instance every ${args.intervalMs} ms (${int(offered)} breaker-reports/s offered)`,
  );
  console.log(
    `machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, load average (1/5/15 min) ${load()} at start${args.quick ? '; --quick: a smoke run, the targets apply to the default size' : ''}\n`,
  );

  const { postgres, dataDir } = await startThrowawayPostgres('bench-cluster', cleanups);
  await postgres.createDatabase('single');
  await postgres.createDatabase('cluster');
  const postmaster = findProcess(dataDir);
  const postgresPids = () => (postmaster ? processTree(postmaster) : []);
  // The panel runs compiled and with glibc's malloc arenas capped, as `npm start` runs it.
  await buildServer(ROOT, { 'bench-panel': 'scripts/bench/panel-process.ts' });
  const services = JSON.stringify(Array.from({ length: Math.ceil(args.instances / args.instancesPerService) }, (_, index) => `svc-${index}`));

  // One server alone, the same fleet and load: the cost of clustering is measured against it.
  console.log('one server alone (CLUSTER=off), its own database');
  const single = await startPanel('single panel', { DATABASE_URL: postgres.urlFor('single'), CLUSTER: 'off', BENCH_SERVICES: services });
  // The same dashboard as the cluster's, so that both do the same work.
  const singleDashboard = await watchDashboard(single.url, ADMIN);
  const singleFleet = startFleet(args, [single.url], single.keys);
  await connectFleet(singleFleet, 'the server');
  const alone = await pacedPhase(singleFleet, args, args.warmup, args.duration, { servers: () => [single.panel.pid], postgres: postgresPids });
  singleDashboard.close();
  singleFleet.send({ type: 'close' });
  await singleFleet.stop();
  await single.panel.stop(20_000);

  console.log(`\ncluster: ${SERVERS} servers (CLUSTER=on) on one database`);
  const databaseUrl = postgres.urlFor('cluster');
  const clusterEnv = (id: number, keyed: boolean) => ({ DATABASE_URL: databaseUrl, CLUSTER: 'on', SERVER_ID: `bench-${id}`, BENCH_SERVICES: keyed ? services : '[]' });
  // The first start migrates the database and makes the keys; the others join it.
  const first = await startPanel('panel 0', clusterEnv(0, true));
  const others = await Promise.all(Array.from({ length: SERVERS - 1 }, (_, index) => startPanel(`panel ${index + 1}`, clusterEnv(index + 1, false))));
  const panels = [first, ...others];
  const dashboard = await watchDashboard(first.url, ADMIN);
  cleanups.push(async () => dashboard.close());
  const fleet = startFleet(
    args,
    panels.map((panel) => panel.url),
    first.keys,
  );
  await connectFleet(fleet, `${SERVERS} servers`);
  const steady = await pacedPhase(fleet, args, args.warmup, args.duration, { servers: () => panels.map((panel) => panel.panel.pid), postgres: postgresPids });

  console.log(`  killing server ${KILLED} with SIGKILL; its instances reconnect to the others`);
  let killedAt = 0;
  let recovered: Extract<FleetMessage, { type: 'recovered' }> | null = null;
  const afterKill = await pacedPhase(fleet, args, 0, args.afterKill, {}, async () => {
    await sleep(1_000);
    // What a balancer does once its health check fails: new connections go to the servers left.
    fleet.send({
      type: 'servers',
      urls: panels.filter((_, index) => index !== KILLED).map((panel) => panel.url),
    });
    process.kill(panels[KILLED]!.panel.pid, 'SIGKILL');
    killedAt = Date.now();
    fleet.send({ type: 'watch-recovery', timeoutMs: (args.afterKill - 1) * 1000 });
    recovered = await fleet.next('recovered', args.afterKill * 1000 + 10_000);
    await sleep(Math.max(0, killedAt + (args.afterKill - 1) * 1000 - Date.now()));
  });
  fleet.send({ type: 'drain-transitions', timeoutMs: 30_000 });
  const transitions = await fleet.next('transitions', 40_000);
  fleet.send({ type: 'close' });
  await fleet.stop();
  for (const [index, panel] of panels.entries()) if (index !== KILLED) panel.panel.send({ type: 'flush' });
  for (const [index, panel] of panels.entries()) if (index !== KILLED) await panel.panel.next('flushed', 60_000);
  const stored = await storedTotals(databaseUrl);
  const storedTransitionCount = await storedTransitions(databaseUrl);

  printResults({ args, alone, steady, afterKill, recovered, killedAt, transitions, storedTransitionCount, stored, totals: afterKill.totals, seen: dashboard.transitions, dashboard });
}

function printResults(r: {
  args: ClusterArgs;
  alone: Awaited<ReturnType<typeof pacedPhase>>;
  steady: Awaited<ReturnType<typeof pacedPhase>>;
  afterKill: Awaited<ReturnType<typeof pacedPhase>>;
  recovered: Extract<FleetMessage, { type: 'recovered' }> | null;
  killedAt: number;
  transitions: Extract<FleetMessage, { type: 'transitions' }>;
  storedTransitionCount: number;
  stored: Awaited<ReturnType<typeof storedTotals>>;
  totals: { counters: number; histogram: number };
  seen: readonly SeenTransition[];
  dashboard: Awaited<ReturnType<typeof watchDashboard>>;
}): void {
  const { args, steady, alone } = r;
  const keptUp = (stats: PhaseStats) => stats.unacknowledged === 0 && stats.skipped === 0 && (stats.ackP99Ms ?? Infinity) <= args.intervalMs;
  const storedExact = r.stored.breakerBuckets.counters === r.totals.counters && r.stored.breakerBuckets.histogram === r.totals.histogram;
  const instanceExact = r.stored.instanceBuckets.counters === r.totals.counters && r.stored.instanceBuckets.histogram === r.totals.histogram;
  const storedShare = r.totals.counters === 0 ? 0 : r.stored.breakerBuckets.counters / r.totals.counters;

  const probes = steady.stats.probes;
  const crossProbes = probes.filter((probe) => serverOfProbe(probe.name) !== 0);
  const localProbes = probes.filter((probe) => serverOfProbe(probe.name) === 0);
  const cross = transitionLatencies(crossProbes, r.seen);
  const local = transitionLatencies(localProbes, r.seen);
  const crossP99 = quantile(cross.latencies, 0.99);
  // Only probes a give-up time before the kill: later, the killed server's probes report to server 0 itself.
  const merged = r.dashboard.latencies(
    crossProbes.filter((probe) => probe.sentAt < r.killedAt - PROBE_GIVE_UP_MS),
    PROBE_GIVE_UP_MS,
  );

  const wholeMs = r.recovered?.lastBackAt != null ? r.recovered.lastBackAt - r.killedAt : null;
  const clusterCost = perReportUs(steady.cores.servers! + steady.cores.postgres!, steady.rate);
  const aloneCost = perReportUs(alone.cores.servers! + alone.cores.postgres!, alone.rate);
  const ratio = clusterCost / aloneCost;

  console.log(`\nresults (${args.duration} s measured windows; ${args.afterKill} s after the kill)`);
  console.log(
    line('ingested (acked), cluster', `${int(steady.rate)} breaker-reports/s${keptUp(steady.stats) ? '' : ' (fell behind)'}`, {
      text: `= offered`,
      pass: keptUp(steady.stats) && steady.rate >= ((args.instances * args.breakers * 1000) / args.intervalMs) * 0.98,
    }),
  );
  console.log(line('  ack latency p50 / p99', `${ms(steady.stats.ackP50Ms)} / ${ms(steady.stats.ackP99Ms)}`));
  console.log(line('stored (10 s buckets, after flush)', `${int(steady.rate * storedShare)} breaker-reports/s`, { text: '= ingested', pass: storedExact }));
  console.log(line('  counter sums stored / acked', `${int(r.stored.breakerBuckets.counters)} / ${int(r.totals.counters)} (${pct(storedShare)}), across the kill`));
  console.log(line('  histogram sums stored / acked', `${int(r.stored.breakerBuckets.histogram)} / ${int(r.totals.histogram)}`));
  console.log(line('  per-instance buckets', instanceExact ? 'equal to acked' : `counters ${int(r.stored.instanceBuckets.counters)}, histogram ${int(r.stored.instanceBuckets.histogram)}`));
  console.log(
    line('transition → other server dashboard', `p99 ${ms(crossP99)} (p50 ${ms(quantile(cross.latencies, 0.5))}, ${cross.lost} of ${int(crossProbes.length)} lost)`, {
      text: `≤ ${TARGET.p99Ms} ms`,
      pass: crossP99 !== null && crossP99 <= TARGET.p99Ms && cross.lost === 0,
    }),
  );
  console.log(line('  same server (reference)', `p99 ${ms(quantile(local.latencies, 0.99))} (${int(local.latencies.length)} probes, ${local.lost} lost)`));
  console.log(
    line(
      '  live summary from another server',
      // A few chance matches (a probe's state flips every report) are not a merged view.
      merged.latencies.length >= merged.lost
        ? `p99 ${ms(quantile(merged.latencies, 0.99))} (${int(merged.latencies.length)} probes, ${merged.lost} lost)`
        : `not sent (${int(merged.latencies.length)} of ${int(merged.latencies.length + merged.lost)} probes): each server shows its own instances`,
    ),
  );
  console.log(
    line(
      'view whole after the kill',
      wholeMs === null ? `not within ${args.afterKill} s (${r.recovered?.back ?? 0} of ${r.recovered?.moved ?? '?'} instances back)` : `${ms(wholeMs)} (${int(r.recovered!.moved)} instances moved)`,
      { text: `≤ ${TARGET.wholeMs / 1000} s`, pass: wholeMs !== null && wholeMs <= TARGET.wholeMs },
    ),
  );
  console.log(line('  reports skipped while moving', `${int(r.afterKill.stats.offline)}`));
  console.log(
    line('transitions stored / acked', `${int(r.storedTransitionCount)} / ${int(r.transitions.acknowledged)} (${int(r.transitions.sent)} sent, ${r.transitions.unacknowledged} never acked)`, {
      text: 'equal',
      pass: r.storedTransitionCount === r.transitions.acknowledged && r.transitions.unacknowledged === 0,
    }),
  );
  console.log(
    line('CPU per breaker-report, cluster', `${clusterCost.toFixed(1)} µs (${steady.cores.servers!.toFixed(2)} + PG ${steady.cores.postgres!.toFixed(2)} cores)`, {
      text: `≤ ${TARGET.cpuRatio}× alone`,
      pass: ratio <= TARGET.cpuRatio,
    }),
  );
  console.log(line('  one server alone', `${aloneCost.toFixed(1)} µs (${alone.cores.servers!.toFixed(2)} + PG ${alone.cores.postgres!.toFixed(2)} cores at ${int(alone.rate)}/s)`));
  console.log(line('  cluster / alone', `${ratio.toFixed(2)}× (servers only ${(perReportUs(steady.cores.servers!, steady.rate) / perReportUs(alone.cores.servers!, alone.rate)).toFixed(2)}×)`));
  console.log(line('machine load average at the end', load()));
}

runBench('bench:cluster', 12, main, cleanUp);
