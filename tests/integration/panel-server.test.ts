import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZHealth } from '../../lib/health';
import { startTestPanel } from '../fixtures/panel';
import { usePanelOnFreshDatabase } from '../fixtures/panel-on-fresh-database';
import { signIn } from '../fixtures/signed-in';

describe('panel server with DATABASE_URL', () => {
  const setup = usePanelOnFreshDatabase();

  it('answers /api/health with the database and migration count', async () => {
    const response = await fetch(`${setup.panel.url}/api/health`);
    expect(response.status).toBe(200);
    const body = ZHealth.parse(await response.json());
    expect(body).toMatchObject({ status: 'ok', database: 'ok', migrations: setup.panel.database.migrations });
    expect(setup.panel.database.migrations).toBeGreaterThan(0);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await (await signIn(setup.panel.url)).request('/api/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'no API route /api/nope' } });
  });

  it('welcomes dashboards on /dashboard and refuses reporters without an API key on /agent', async () => {
    const dashboard = (await signIn(setup.panel.url)).connectDashboard();
    const welcome = await new Promise<{ serverVersion: string }>((resolve) => dashboard.once('server:welcome', resolve));
    expect(welcome.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
    dashboard.close();

    const agent = connect(`${setup.panel.url}/agent`, { transports: ['websocket'], reconnection: false, auth: { protocolVersion: 1 } });
    const refusal = await new Promise<Error>((resolve) => agent.once('connect_error', resolve));
    expect(refusal.message).toMatch(/API key is required/);
    agent.close();
  });

  it('answers 503 with a reason when the database cannot be reached', async () => {
    await setup.database.onCluster(`ALTER DATABASE ${setup.database.name} WITH ALLOW_CONNECTIONS false`);
    await setup.database.onCluster('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [setup.database.name]);
    try {
      const response = await fetch(`${setup.panel.url}/api/health`);
      expect(response.status).toBe(503);
      const body = ZHealth.parse(await response.json());
      expect(body).toMatchObject({ status: 'error', database: 'unreachable' });
    } finally {
      await setup.database.onCluster(`ALTER DATABASE ${setup.database.name} WITH ALLOW_CONNECTIONS true`);
    }
    const recovered = await fetch(`${setup.panel.url}/api/health`);
    expect(recovered.status).toBe(200);
  });
});

describe('panel server with the embedded Postgres', () => {
  let dataRoot: string;
  beforeAll(async () => {
    dataRoot = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-embedded-'));
    await chmod(dataRoot, 0o755);
  });
  afterAll(() => rm(dataRoot, { recursive: true, force: true }));

  it('keeps its data across a stop and a start', async () => {
    const env = { PG_DATA_DIR: path.join(dataRoot, 'postgres') };
    const first = await startTestPanel(env);
    expect(first.database.embedded).toBe(true);
    await first.prisma.service.create({ data: { name: 'checkout' } });
    await first.stop();

    const second = await startTestPanel(env);
    try {
      const services = await second.prisma.service.findMany({ select: { name: true } });
      expect(services).toEqual([{ name: 'checkout' }]);
      expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
    } finally {
      await second.stop();
    }
    // Two starts of an embedded cluster (the first one initialises it): CPU-bound work that a busy machine stretches.
  }, 120_000);
});
