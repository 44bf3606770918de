import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakePanel, type FakePanel } from '../../fixtures/fake-panel-process.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cleanup: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const step of cleanup.splice(0)) await step();
});

describe('the SDK as shipped', () => {
  it('builds to ESM with types, and the built package works from plain Node', { timeout: 120_000 }, async () => {
    await run('npm', ['run', 'build', '--workspace', 'sdk'], { cwd: root });
    const script = `
      import { createCircuitBreaker, isBreakerOpenError, LATENCY_BUCKET_COUNT } from '@breaker-panel/sdk';
      import { ZTransition } from '@breaker-panel/sdk/protocol';
      const breaker = createCircuitBreaker({ name: 'built', minimumCalls: 1, window: { type: 'count', size: 1 } });
      await breaker.execute(async () => { throw new Error('x'); }).catch(() => {});
      const error = await breaker.execute(async () => 1).catch((e) => e);
      console.log(JSON.stringify({ open: isBreakerOpenError(error), buckets: LATENCY_BUCKET_COUNT, schema: typeof ZTransition.parse }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ open: true, buckets: 66, schema: 'function' });
    const { stdout: listing } = await run('ls', ['sdk/dist/index.d.ts', 'sdk/dist/protocol.d.ts'], { cwd: root });
    expect(listing.trim().split('\n')).toHaveLength(2);
  });

  it('runs the example service against an upstream and a panel', async () => {
    const panel: FakePanel = await startFakePanel();
    cleanup.push(() => panel.stop());
    const upstream: Server = createServer((_request, response) => response.end('42 €'));
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    cleanup.push(() => new Promise((resolve) => upstream.close(() => resolve())));

    const example = spawn(process.execPath, ['--import', 'tsx', 'sdk/examples/http-service.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PANEL_URL: panel.url,
        UPSTREAM_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/quote`,
        EXAMPLE_CALLS: '3',
        CALL_INTERVAL_MS: '50',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    example.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(example, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('quote: 42 €');
    expect(output).toContain('"success":3');
    expect(panel.events('instance:register')[0]).toMatchObject({ service: 'example-shop', breakers: [{ name: 'quote-api' }] });
    expect(panel.events('report:send').length).toBeGreaterThan(0);
  });
});
