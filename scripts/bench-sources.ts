/**
 * `npm run bench:sources` — what polling many Resilience4j actuators costs
 * the panel: 1,000 fake actuators (scripts/bench/fake-actuator-fleet.ts, a
 * separate process, loopback only) in one actuator source polled every 5 s,
 * with an embedded Postgres. Prints the panel process's CPU and memory, the
 * event loop's delay, and how late reads start against their schedule.
 * Figures are printed, not asserted: see docs/sources.md.
 *
 * The panel runs in this process (its CPU figure includes this script's
 * small share); the fleet and Postgres run in their own.
 *
 * Usage: npm run bench:sources -- [--targets 1000] [--breakers 5] [--interval-ms 5000] [--window-s 30]
 */
import { fork } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { startPanelServer } from '../server/panel-server';
import { startEmbeddedPostgres } from '../server/store/embedded-postgres';
import { cpuSeconds } from './bench/proc-stats';
import { int, line, mib, ms } from './bench/report';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const ADMIN = { email: 'bench@example.test', password: 'bench-password-not-secret' };

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number`);
  return value;
}

async function main(): Promise<void> {
  const targets = option('targets', 1000);
  const breakers = option('breakers', 5);
  const intervalMs = option('interval-ms', 5000);
  const windowS = option('window-s', 30);
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'bench-sources-'));
    cleanups.push(() => rm(dataRoot, { recursive: true, force: true }));
    await chmod(dataRoot, 0o755);
    const cluster = await startEmbeddedPostgres({ dataDir: path.join(dataRoot, 'postgres'), port: 0, logger: createLogger('warn'), durable: false });
    cleanups.push(() => cluster.stop());

    console.log(`Starting ${int(targets)} fake actuators with ${breakers} breakers each…`);
    const fleet = fork(path.join(import.meta.dirname, 'bench/fake-actuator-fleet.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_TARGETS: String(targets), BENCH_BREAKERS: String(breakers) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    cleanups.push(async () => {
      fleet.disconnect();
      await sleep(500);
      fleet.kill();
    });
    const urls = await new Promise<string[]>((resolve, reject) => {
      fleet.once('message', (message: { urls: string[] }) => resolve(message.urls));
      fleet.once('exit', (code) => reject(new Error(`the fleet exited with ${code}`)));
    });

    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: cluster.adminUrl,
        DEMO: 'off',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        DATA_DIR: path.join(dataRoot, 'data'),
        SOURCE_CREDENTIALS_KEY: 'ab'.repeat(32),
      },
      ROOT_DIR,
    );
    const panel = await startPanelServer({ config, logger: createLogger(config.logLevel) });
    cleanups.push(() => panel.stop());
    const signIn = await fetch(`${panel.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const session = (await signIn.json()) as { csrfToken: string };
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const created = await fetch(`${panel.url}/api/v1/sources`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': session.csrfToken, origin: panel.url, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'actuator', name: 'bench fleet', service: 'bench', targets: urls, pollIntervalMs: intervalMs }),
    });
    if (created.status !== 201) throw new Error(`creating the source failed: ${created.status} ${await created.text()}`);

    const warmupMs = intervalMs * 2 + 5_000;
    console.log(`Polling ${int(targets)} targets every ${intervalMs / 1000} s; warming up for ${(warmupMs / 1000).toFixed(0)} s, then measuring for ${windowS} s…`);
    await sleep(warmupMs);
    const live = panel.pipeline.aggregate.stats();
    panel.pipeline.sources.takeLagStats();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const cpuBefore = cpuSeconds(process.pid);
    const fleetCpuBefore = cpuSeconds(fleet.pid!);
    let peakRss = 0;
    const started = Date.now();
    while (Date.now() - started < windowS * 1000) {
      await sleep(1_000);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    delay.disable();
    const elapsedS = (Date.now() - started) / 1000;
    const lag = panel.pipeline.sources.takeLagStats();
    const memory = process.memoryUsage();

    console.log('');
    console.log(line('targets polled', `${int(targets)} × ${breakers} breakers, every ${intervalMs / 1000} s`));
    console.log(line('instances known to the panel', `${int(live.instances)} (${int(live.pairs)} instance-breakers)`));
    console.log(line('reads started', `${int(lag.reads)} in ${elapsedS.toFixed(0)} s (${(lag.reads / elapsedS).toFixed(0)}/s; ${(targets / (intervalMs / 1000)).toFixed(0)}/s scheduled)`));
    console.log(line('read start lag p50 / p99 / max', `${ms(lag.p50)} / ${ms(lag.p99)} / ${ms(lag.max)}`));
    console.log(line('panel CPU', `${(((cpuSeconds(process.pid) - cpuBefore) / elapsedS) * 100).toFixed(0)}% of one core`));
    console.log(line('fake fleet CPU', `${(((cpuSeconds(fleet.pid!) - fleetCpuBefore) / elapsedS) * 100).toFixed(0)}% of one core`));
    console.log(line('panel RSS now / peak, heap used', `${mib(memory.rss)} / ${mib(peakRss)}, ${mib(memory.heapUsed)}`));
    console.log(line('event loop delay p50 / p99 / max', `${ms(delay.percentile(50) / 1e6)} / ${ms(delay.percentile(99) / 1e6)} / ${ms(delay.max / 1e6)}`));
    const { sources } = (await (await fetch(`${panel.url}/api/v1/sources`, { headers: { cookie } })).json()) as { sources: Array<{ lastError: string | null }> };
    console.log(line('source status', sources[0]?.lastError ?? 'every target answered'));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:sources failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
