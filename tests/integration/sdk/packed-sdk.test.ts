import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail.js';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import type { RunningPanel } from '../../../server/panel-server';
import { installPackedSdk, packSdk, tarballFiles } from '../../fixtures/packed-sdk';
import { ROOT_DIR, startTestPanel } from '../../fixtures/panel';
import { signIn } from '../../fixtures/signed-in';
import { storedService } from '../../fixtures/stored-counters';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

const run = promisify(execFile);

// A service in another repository, written against the package's public entry points only.
const SERVICE = `
import { connectPanel, createCircuitBreaker, SDK_NAME, SDK_VERSION } from '@breaker-panel/sdk';

const breaker = createCircuitBreaker({ name: 'payments-api', window: { type: 'count', size: 4 }, minimumCalls: 2, failureRateThreshold: 50, openTimeout: 600_000 });
const reporter = connectPanel({ url: process.env.PANEL_URL, apiKey: process.env.PANEL_API_KEY, service: 'packed-shop', instance: 'web-1', labels: { zone: 'eu-1' }, breakers: [breaker], reportInterval: 200 });
reporter.on('error', (error) => console.error('reporter error:', error.message));
await new Promise((resolve) => reporter.on('registered', resolve));
await breaker.execute(async () => 'ok');
for (let call = 0; call < 3; call++) await breaker.execute(async () => { throw new Error('payments down'); }).catch(() => {});
await reporter.flush(10_000);
console.log(JSON.stringify({ sdk: SDK_NAME + '@' + SDK_VERSION, state: breaker.stats().state, status: reporter.status() }));
process.once('SIGTERM', () => void reporter.close().then(() => process.exit(0)));
setInterval(() => {}, 1_000);
`;

// Type-checked as the service's own build would: strict, NodeNext, against the package's declarations.
const TYPED_USE = `
import { createCircuitBreaker, type PanelReporterOptions } from '@breaker-panel/sdk';
import { instrumentOpossum, type OpossumLike } from '@breaker-panel/sdk/opossum';
import { ZTransition, type TTransition } from '@breaker-panel/sdk/protocol';

const breaker = createCircuitBreaker({ name: 'typed', fallback: () => null });
export const answer: Promise<number | null> = breaker.execute(async () => 42);
export const options: PanelReporterOptions = { url: 'http://panel:3000', apiKey: 'bp_x', service: 'typed', breakers: [breaker] };
export const parse: (value: unknown) => TTransition = (value) => ZTransition.parse(value);
export const adapt = (existing: OpossumLike) => instrumentOpossum(existing, {});
`;

describe('the packed SDK installed in a project outside the repository', () => {
  let database: TestDatabase;
  let panel: RunningPanel;
  let workDir: string;
  let projectDir: string;
  let tarball: string;
  let stopService = async () => {};

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'breaker-panel-packed-sdk-'));
    if (workDir.startsWith(ROOT_DIR)) throw new Error('the throwaway project must live outside the repository');
    tarball = await packSdk(workDir);
    projectDir = path.join(workDir, 'service');
    await mkdir(projectDir);
    await installPackedSdk(projectDir, tarball);
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    panel = await startTestPanel({ DATABASE_URL: database.url, REPORT_INTERVAL_MS: '200', FLUSH_INTERVAL_MS: '200' });
  }, 180_000);
  afterAll(async () => {
    await stopService();
    await panel?.stop();
    await database?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('ships built entry points, their types, the licence and the changelog, and nothing of the sources', async () => {
    const files = await tarballFiles(tarball);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'CHANGELOG.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/protocol.js',
        'dist/protocol.d.ts',
        'dist/opossum.js',
        'dist/opossum.d.ts',
      ]),
    );
    expect(files.filter((file) => /^(src|scripts|examples)\/|tsconfig/.test(file))).toEqual([]);
  });

  it('type-checks a service that uses every entry point', { timeout: 120_000 }, async () => {
    await writeFile(path.join(projectDir, 'typed-use.ts'), TYPED_USE);
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [path.join(ROOT_DIR, 'node_modules/@types')],
        types: ['node'],
      },
      files: ['typed-use.ts'],
    };
    await writeFile(path.join(projectDir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const complaints = await run(process.execPath, [path.join(ROOT_DIR, 'node_modules/typescript/bin/tsc'), '-p', projectDir]).then(
      () => '',
      (error: { stdout?: string; stderr?: string; message: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}` || error.message,
    );
    expect(complaints).toBe('');
  });

  it('runs a breaker in a separate Node process that reports to a real panel, which stores it and its trip', async () => {
    const { key } = await createApiKeys({ prisma: panel.prisma, now: Date.now }).create('packed-shop');
    await writeFile(path.join(projectDir, 'service.mjs'), SERVICE);
    const service = spawn(process.execPath, ['service.mjs'], { cwd: projectDir, env: { ...process.env, PANEL_URL: panel.url, PANEL_API_KEY: key }, stdio: ['ignore', 'pipe', 'inherit'] });
    stopService = async () => {
      if (service.exitCode === null) service.kill('SIGTERM');
      if (service.exitCode === null) await once(service, 'exit');
    };
    const [line] = (await once(createInterface({ input: service.stdout }), 'line')) as [string];
    const reported = JSON.parse(line) as { sdk: string; state: string; status: { registered: boolean; pendingTransitions: number } };
    expect(reported).toMatchObject({ sdk: '@breaker-panel/sdk@0.1.0', state: 'OPEN', status: { registered: true, pendingTransitions: 0 } });

    const admin = await signIn(panel.url);
    const readBreaker = async () => (await admin.getJson<TBreakerList>('/api/v1/breakers?service=packed-shop')).breakers.find((item) => item.name === 'payments-api');
    // One success and one failure are 50 % of the minimum two calls: the breaker opened, and rejected the next two calls without running them.
    await expect.poll(async () => (await storedService(database, 'packed-shop')).counters['payments-api'], { timeout: 10_000 }).toMatchObject({ success: 1, failure: 1, rejected: 2 });
    expect((await storedService(database, 'packed-shop')).transitions).toMatchObject([{ breaker: 'payments-api', from: 'CLOSED', to: 'OPEN' }]);
    const breaker = (await readBreaker())!;
    expect(breaker.state).toBe('OPEN');
    const detail = await admin.getJson<TBreakerDetail>(`/api/v1/breakers/${breaker.id}`);
    expect(detail.instances).toMatchObject([{ name: 'web-1', labels: { zone: 'eu-1' }, state: 'OPEN' }]);
    expect(detail.recentTransitions[0]).toMatchObject({ from: 'CLOSED', to: 'OPEN', cause: 'failure_rate', instance: 'web-1' });
    expect(detail.instances[0]?.client).toEqual({ kind: 'node-sdk', sdk: '@breaker-panel/sdk typescript', transport: 'socket', readOnly: false });

    // The service shuts down as a deployment would stop it: its reporter's close() lets it exit cleanly.
    await stopService();
    expect(service.exitCode).toBe(0);
  });
});
