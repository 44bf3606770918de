/**
 * `npm run bench:history` — how fast the API behind the history page answers
 * at history's real size: a month of a thousand breakers (over a million
 * transitions, with their buckets), generated in SQL into a throwaway
 * embedded Postgres, then asked through the real HTTP routes of an
 * in-process panel, signed in as its first admin. Median of 20 runs each
 * (after two warm-ups). Then the page itself in Chromium: the longest task
 * while it loads and draws a service's week. See docs/performance.md
 * ("History").
 *
 * Usage: npm run bench:history [-- --runs 20] [--profile page.cpuprofile]
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import pg from 'pg';
import type { TIncidentList } from '../lib/history/incidents';
import type { TTimeline } from '../lib/history/timeline';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { startPanelServer } from '../server/panel-server';
import { createNextWebApp } from '../server/web/next-web-app';
import { buildIfNeeded } from './build-if-needed';
import { printHotFunctions, startPageProfile } from './bench/page-profile';
import { startEmbeddedPostgres } from '../server/store/embedded-postgres';
import { migrate } from '../server/store/migrator';
import { DEFAULT_SHAPE, generateHistory } from './bench-history/generate-history';
import { median, timeRuns } from './bench-history/measure';

const ROOT = path.resolve(import.meta.dirname, '..');
const ADMIN = { email: 'bench@example.test', password: 'bench-password-not-secret' };
const DAY = 86_400_000;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;

const log = (message: string) => process.stdout.write(`${message}\n`);

async function main(): Promise<void> {
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-bench-history-'));
  // The unprivileged postgres user (when running as root) must reach the data folder.
  await chmod(dataRoot, 0o755);
  const logger = createLogger('warn');
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dataRoot, 'postgres'), port: 0, logger, durable: false });
  try {
    await cluster.createDatabase('history');
    const url = cluster.urlFor('history');
    await migrate(url, path.join(ROOT, 'prisma/migrations'), logger);

    const now = Date.now();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    log(`generating ${DEFAULT_SHAPE.services * DEFAULT_SHAPE.breakersPerService} breakers × ${DEFAULT_SHAPE.days} days…`);
    const began = performance.now();
    await generateHistory(db, DEFAULT_SHAPE, now, log);
    const counts = (await db.query<{ transitions: number; buckets: number }>('SELECT (SELECT count(*)::int FROM transitions) AS transitions, (SELECT count(*)::int FROM breaker_buckets) AS buckets'))
      .rows[0]!;
    log(`generated ${counts.transitions.toLocaleString('en')} transitions and ${counts.buckets.toLocaleString('en')} buckets in ${((performance.now() - began) / 1000).toFixed(0)} s`);

    const config = loadConfig({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }, ROOT);
    buildIfNeeded(ROOT);
    const panel = await startPanelServer({ config, logger: createLogger(config.logLevel), createWebApp: (listening) => createNextWebApp({ rootDir: ROOT, dev: false, ...listening }) });
    try {
      const signedIn = await fetch(`${panel.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.status}`);
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const get = async <T>(pathAndQuery: string): Promise<T> => {
        const response = await fetch(`${panel.url}${pathAndQuery}`, { headers: { cookie } });
        if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
        return (await response.json()) as T;
      };
      const breakers = (await db.query<{ id: string; service: string }>('SELECT b.id, s.name AS service FROM breakers b JOIN services s ON s.id = b.service_id ORDER BY b.name, s.name')).rows;
      const services = [...new Set(breakers.map((breaker) => breaker.service))];
      const to = now;

      // Each run asks about another breaker or service, so no answer is served twice from the same pages.
      const cases = [
        {
          name: "one breaker's timeline, 30 days, with instance lanes",
          targetMs: 50,
          call: (run: number) => get<TTimeline>(`/api/v1/history/timeline?from=${to - 30 * DAY}&to=${to}&breaker=${breakers[(run * 37) % breakers.length]!.id}&instances=1`),
        },
        {
          name: 'every breaker of one service, 7 days (service lanes)',
          targetMs: 200,
          call: (run: number) => get<TTimeline>(`/api/v1/history/timeline?from=${to - 7 * DAY}&to=${to}&service=${services[run % services.length]}`),
        },
        { name: 'incidents of every breaker, 30 days (summary + first 200)', targetMs: 300, call: () => get<TIncidentList>(`/api/v1/history/incidents?from=${to - 30 * DAY}&to=${to}`) },
      ];
      // The first incidents request stores every complete episode of the month (trip_episodes); later ones only catch up.
      const firstAt = performance.now();
      const sample = await get<TIncidentList>(`/api/v1/history/incidents?from=${to - 30 * DAY}&to=${to}`);
      log(`first incidents request (stores the month's episodes): ${((performance.now() - firstAt) / 1000).toFixed(1)} s`);
      const lanes = await get<TTimeline>(`/api/v1/history/timeline?from=${to - 7 * DAY}&to=${to}&service=${services[0]}`);
      log(
        `incidents over 30 days: ${sample.summary.trips.toLocaleString('en')}; one service over 7 days: ${lanes.lanes.length} lanes, ${lanes.lanes.reduce((sum, lane) => sum + lane.segments.length, 0).toLocaleString('en')} segments`,
      );
      log('');
      log(`| measure | median | p90 | target | result |`);
      log(`|---|---|---|---|---|`);
      let missed = 0;
      for (const benchCase of cases) {
        const samples = await timeRuns(RUNS, 2, benchCase.call);
        const middle = median(samples);
        const p90 = [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.9) - 1]!;
        const pass = middle <= benchCase.targetMs;
        if (!pass) missed += 1;
        log(`| ${benchCase.name} | ${middle.toFixed(1)} ms | ${p90.toFixed(1)} ms | ≤ ${benchCase.targetMs} ms | ${pass ? 'PASS' : `MISS by ${(middle - benchCase.targetMs).toFixed(0)} ms`} |`);
      }
      // Not a target: what expanding every instance lane of a service costs.
      const expanded = median(await timeRuns(RUNS, 2, (run) => get<TTimeline>(`/api/v1/history/timeline?from=${to - 7 * DAY}&to=${to}&service=${services[run % services.length]}&instances=1`)));
      log(`| (for reference) one service, 7 days, with every instance lane | ${expanded.toFixed(1)} ms | | | |`);
      const longest = await pageLongestTask(panel.url, services[0]!);
      const pagePass = longest <= PAGE_LONG_TASK_MS;
      if (!pagePass) missed += 1;
      log(
        `| the page: one service, 7 days, in Chromium (longest task while it loads and draws) | ${longest.toFixed(0)} ms | | ≤ ${PAGE_LONG_TASK_MS} ms | ${pagePass ? 'PASS' : `MISS by ${(longest - PAGE_LONG_TASK_MS).toFixed(0)} ms`} |`,
      );
      process.exitCode = missed > 0 ? 1 : 0;
    } finally {
      await db.end();
      await panel.stop();
    }
  } finally {
    await cluster.stop();
    await rm(dataRoot, { recursive: true, force: true });
  }
}

const PAGE_LONG_TASK_MS = 100;
/** `--profile <file>`: also records the page's CPU profile while it loads. */
const PROFILE_FILE = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;

// Registered before the page's own scripts run, so no long task of the load is missed.
const RECORD_LONG_TASKS = `window.__longTasks = [];
new PerformanceObserver((list) => list.getEntries().forEach((entry) => window.__longTasks.push(entry.duration))).observe({ type: 'longtask' });`;

/** Opens /history for one service over 7 days in Chromium and returns the longest task until its lanes are drawn and settled. */
async function pageLongestTask(baseUrl: string, service: string): Promise<number> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, { data: ADMIN, headers: { origin: baseUrl } });
    await page.addInitScript(RECORD_LONG_TASKS);
    const profiler = PROFILE_FILE ? await startPageProfile(page) : null;
    await page.goto(`${baseUrl}/history?service=${encodeURIComponent(service)}&range=7d`);
    await page.locator('svg[role="img"]').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(2_000);
    if (profiler && PROFILE_FILE) printHotFunctions(await profiler.stop(PROFILE_FILE));
    const tasks = (await page.evaluate('window.__longTasks')) as number[];
    return Math.max(0, ...tasks);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:history failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
