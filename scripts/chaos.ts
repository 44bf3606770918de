/**
 * `npm run chaos -- --duration 120`: a real fleet (SDK service processes)
 * reports to a real panel on an embedded Postgres in a temp folder while the
 * phases of scripts/chaos/phases.ts take turns hurting it (kill -9 of the
 * panel and of its Postgres), each at least once. At the end it drains the fleet and compares
 * what the services sent with what Postgres holds, and prints the figures:
 * transitions acknowledged vs stored, counters reported vs stored, 5xx
 * answers seen, faults caused and the recovery time after each.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../server/logger';
import { freePort, startEmbeddedPostgres } from '../server/store/embedded-postgres';
import { EMBEDDED_DATABASE } from '../server/store/open-database';
import { probePanel } from '../tests/fixtures/outage-probe';
import { startPanelProcess, type PanelProcess } from '../tests/fixtures/panel-process';
import { BREAKER, pause, startFleet, stirFleet } from '../tests/fixtures/reliability-fleet';
import { signIn } from '../tests/fixtures/signed-in';
import { readStoredFigures, reportedCounters, transitionFaults } from '../tests/fixtures/stored-figures';
import type { ChaosContext } from './chaos/chaos-context';
import { CHAOS_PHASES } from './chaos/phases';

// Steady load between two faults, so each fault hits a panel with transitions and counters in flight.
const STEADY_MS = 4_000;

const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, instances: { type: 'string', default: '3' } } });
const durationMs = Number(values.duration) * 1000;
const instances = Number(values.instances);
if (!(durationMs > 0) || !(instances > 0)) throw new Error('usage: npm run chaos -- --duration <seconds> [--instances <n>]');

const log = (line: string) => process.stdout.write(`chaos: ${line}\n`);

async function main(): Promise<void> {
  // In the system temp dir, which the unprivileged postgres user can reach when run as root.
  const root = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-chaos-'));
  await chmod(root, 0o755);
  const dataDir = path.join(root, 'postgres');
  const port = await freePort();
  const env = { DATA_DIR: root, PG_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  let panel: PanelProcess = await startPanelProcess({ port, env, keyServices: ['checkout'] });
  const apiKey = panel.keys.checkout!;
  const fleet = await startFleet(
    panel.url,
    apiKey,
    Array.from({ length: instances }, (_, index) => `chaos-${index + 1}`),
  );
  const client = await signIn(panel.url);
  const stirring = stirFleet(fleet);
  const probe = probePanel(panel.url, client.cookie, '/api/v1/audit');
  const recoveries: Array<{ fault: string; recoveryMs: number }> = [];
  const context: ChaosContext = {
    panel: () => panel,
    restartPanel: async () => (panel = await startPanelProcess({ port, env })),
    dataDir,
    fleet,
    apiKey,
    recordRecovery: (fault, recoveryMs) => {
      recoveries.push({ fault, recoveryMs });
      log(`${fault}: serving again after ${(recoveryMs / 1000).toFixed(2)} s`);
    },
    log,
  };

  try {
    const started = performance.now();
    // Every phase runs at least once, however long a slow machine takes to recover from the first ones.
    for (let turn = 0; turn < CHAOS_PHASES.length || performance.now() - started < durationMs; turn++) {
      await pause(STEADY_MS);
      const phase = CHAOS_PHASES[turn % CHAOS_PHASES.length]!;
      log(`${phase.name}`);
      await phase.run(context);
    }
    await pause(STEADY_MS);
  } finally {
    stirring.stop();
  }
  const answers = await probe.stop();
  log('draining the fleet');
  const drained = await Promise.all(fleet.map((service) => service.drain()));
  await Promise.all(fleet.map((service) => service.stop()));
  const exitCode = await panel.stop();

  const cluster = await startEmbeddedPostgres({ dataDir, port: 0, logger: createLogger('silent') });
  const stored = await readStoredFigures(cluster.urlFor(EMBEDDED_DATABASE), BREAKER).finally(() => cluster.stop());
  await rm(root, { recursive: true, force: true });

  const acked = drained.reduce((sum, service) => sum + service.status.transitionSequence, 0);
  const faults = drained.map((service) => transitionFaults(service, stored));
  const missing = faults.reduce((sum, fault) => sum + fault.missing.length, 0);
  const duplicated = faults.reduce((sum, fault) => sum + fault.duplicated.length, 0);
  const reported = reportedCounters(drained);
  const serverErrors = [...answers.statuses].filter(([status]) => status >= 500 && status !== 503).reduce((sum, [, count]) => sum + count, 0);
  const byKind = (fault: string) => recoveries.filter((recovery) => recovery.fault === fault).map((recovery) => recovery.recoveryMs / 1000);
  const summary = (times: number[]) =>
    times.length ? `${times.length}, recovery ${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)} s (mean ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(2)} s)` : '0';

  const lines = [
    `duration                 ${values.duration} s, ${instances} SDK service processes, one breaker each`,
    `panel killed (-9)        ${summary(byKind('panel killed'))}`,
    `Postgres killed (-9)     ${summary(byKind('Postgres killed'))}`,
    `transitions acked        ${acked} (still pending in the services: ${drained.reduce((sum, service) => sum + service.status.pendingTransitions, 0)})`,
    `transitions stored       missing ${missing}, stored twice ${duplicated}`,
    ...Object.keys(reported).map((kind) => `counter ${kind.padEnd(16)} reported ${reported[kind]}, stored ${stored.counters[kind]} (${reported[kind]! - stored.counters[kind]!} not stored)`),
    `answers                  ${[...answers.statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status === 0 ? 'refused' : status}: ${count}`)
      .join(', ')}`,
    `5xx other than 503       ${serverErrors}; 503 without Retry-After: ${answers.unavailableWithoutRetryAfter}`,
    `last panel exit code     ${exitCode}`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  const countersOff = Object.keys(reported).some((kind) => reported[kind] !== stored.counters[kind]);
  // Any loss, double count or 500 fails the run, so the script can gate a change.
  if (missing > 0 || duplicated > 0 || countersOff || serverErrors > 0 || exitCode !== 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
