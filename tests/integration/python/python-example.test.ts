import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail.js';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import type { TActionResult, TDelivery } from '../../../lib/control/operator-action.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { ROOT_DIR } from '../../fixtures/panel';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';

const SERVICE = 'python-shop';
const BREAKER = 'recommendations-api';

/**
 * The Python client's example service (clients/python/examples) as a separate
 * process, reporting over HTTP batches to a real panel: an operator's trip
 * reaches it (long poll or batch answer), its calls are rejected, a release
 * lets them pass again, and the panel records the deliveries and transitions.
 */
describe('the Python example against a real panel', () => {
  const setup = usePanelOnFreshDatabase();
  let admin: SignedInClient;
  let example: ChildProcess;
  const lines: string[] = [];

  beforeAll(async () => {
    const key = (await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create(SERVICE)).key;
    admin = await signIn(setup.panel.url);
    example = spawn('python3', ['clients/python/examples/flaky_dependency.py'], {
      cwd: ROOT_DIR,
      env: {
        ...process.env,
        PYTHONPATH: path.join(ROOT_DIR, 'clients/python'),
        PYTHONUNBUFFERED: '1',
        PANEL_URL: setup.panel.url,
        PANEL_API_KEY: key,
        SERVICE,
        INSTANCE: 'py-1',
        FAILURE_RATE: '0',
        CALL_INTERVAL_MS: '50',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let partial = '';
    example.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      lines.push(...complete);
    });
  });
  afterAll(async () => {
    if (example && example.exitCode === null) {
      const exited = once(example, 'exit');
      example.kill('SIGTERM');
      await exited;
    }
  });

  const seenSince = (mark: number, pattern: RegExp) => lines.slice(mark).some((line) => pattern.test(line));
  const breakerId = async () => (await admin.getJson<TBreakerList>(`/api/v1/breakers?service=${SERVICE}`)).breakers.find((breaker) => breaker.name === BREAKER)?.id;
  const deliveries = async (id: string) =>
    (await admin.getJson<{ lastCommand: { id: string; deliveries: TDelivery[] } | null }>(`/api/v1/breakers/${id}/control`)).lastCommand?.deliveries.map(
      (delivery) => `${delivery.instance}:${delivery.status}:${delivery.state}`,
    );
  const act = async (id: string, action: 'trip' | 'release') => {
    const response = await admin.request(`/api/v1/breakers/${id}/actions`, { method: 'POST', body: { action, scope: { all: true }, reason: `python example: ${action}` } });
    expect(response.status).toBe(201);
    return (await response.json()) as TActionResult;
  };
  /** Issue → acknowledged, as the panel stored them (not a speed assertion: printed for the record). */
  const appliedAfterMs = async (commandId: string) =>
    (
      await setup.database.query<{ ms: number }>(
        'SELECT extract(epoch FROM (d.acknowledged_at - c.created_at)) * 1000 AS ms FROM command_deliveries d JOIN commands c ON c.id = d.command_id WHERE c.id = $1',
        [commandId],
      )
    )[0]?.ms;

  it('registers over HTTP and reports its calls', async () => {
    await expect.poll(() => seenSince(0, /^call \d+: passed/), { timeout: 20_000 }).toBe(true);
    await expect.poll(breakerId, { timeout: 20_000 }).toBeTruthy();
    const list = await admin.getJson<TBreakerList>(`/api/v1/breakers?service=${SERVICE}`);
    expect(list.breakers.map((breaker) => [breaker.name, breaker.state])).toEqual([[BREAKER, 'CLOSED']]);
    const detail = await admin.getJson<TBreakerDetail>(`/api/v1/breakers/${list.breakers[0]!.id}`);
    expect(detail.config).toMatchObject({ implementation: 'breaker-panel', window: { type: 'count', size: 20 }, minimumCalls: 5, callTimeoutMs: 1000 });
    expect(detail.instances.map((instance) => [instance.name, instance.client])).toEqual([['py-1', { kind: 'python', sdk: 'breaker-panel-python python', transport: 'http', readOnly: false }]]);
  });

  it('is tripped from the API (its calls are rejected) and released (they pass again), acknowledging both', async () => {
    const id = (await breakerId())!;

    const beforeTrip = lines.length;
    const trip = await act(id, 'trip');
    await expect.poll(() => seenSince(beforeTrip, /^call \d+: rejected \(FORCED_OPEN\)/), { timeout: 15_000 }).toBe(true);
    expect(lines.slice(beforeTrip)).toContain(`state: CLOSED -> FORCED_OPEN (command, command ${trip.commandId})`);
    await expect.poll(() => deliveries(id), { timeout: 15_000 }).toEqual(['py-1:applied:FORCED_OPEN']);
    console.log(`python example: trip applied and acknowledged ${Math.round((await appliedAfterMs(trip.commandId))!)} ms after it was issued`);

    const beforeRelease = lines.length;
    const release = await act(id, 'release');
    await expect.poll(() => seenSince(beforeRelease, /^call \d+: passed/), { timeout: 15_000 }).toBe(true);
    expect(lines.slice(beforeRelease)).toContain(`state: FORCED_OPEN -> CLOSED (command, command ${release.commandId})`);
    await expect.poll(() => deliveries(id), { timeout: 15_000 }).toEqual(['py-1:applied:CLOSED']);
    console.log(`python example: release applied and acknowledged ${Math.round((await appliedAfterMs(release.commandId))!)} ms after it was issued`);

    // The Python process's own transitions, stored by the panel with the commands behind them.
    await expect
      .poll(
        async () =>
          setup.database.query<{ to_state: string; command_id: string }>(
            "SELECT to_state, command_id FROM transitions WHERE breaker_id = $1 AND cause = 'command' AND instance_id IS NOT NULL ORDER BY at, sequence",
            [id],
          ),
        { timeout: 15_000 },
      )
      .toEqual([
        { to_state: 'FORCED_OPEN', command_id: trip.commandId },
        { to_state: 'CLOSED', command_id: release.commandId },
      ]);
  });
});
