import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TCommand } from '../../../lib/protocol/command.js';
import { PROTOCOL_VERSION } from '../../../lib/protocol/version.js';
import { createClusterLeases } from '../../../server/cluster/cluster-lease';
import { NOTIFY_PAYLOAD_LIMIT_BYTES, startMessageBus, type MessageBus } from '../../../server/cluster/message-bus';
import { startServerRegistry } from '../../../server/cluster/server-registry';
import { createLogger } from '../../../server/logger';
import { createMigratedDatabase, type TestDatabase } from '../../fixtures/test-database';

const logger = createLogger('silent');
const breakerId = '6f1d2a0e-4c1b-4b8e-9a51-0d6f7f1c2e3a';
const instanceId = '0b7c9d7e-2f7a-4a43-8d0e-5b1f3c2a9e11';
const command = (reason: string): TCommand => ({
  protocolVersion: PROTOCOL_VERSION,
  id: '9e0f6a52-0a55-4f55-9f1b-2f0d5e8c7b61',
  breaker: 'payments-api',
  action: 'trip' as const,
  scope: { kind: 'service' as const },
  expiresAt: null,
  reason,
  issuedBy: 'ops@example.test',
  issuedAt: Date.now(),
});

const waitFor = async <T>(read: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('the cluster parts on a real Postgres', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let one: MessageBus;
  let two: MessageBus;

  beforeAll(async () => {
    database = await createMigratedDatabase(inject('postgresAdminUrl'));
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    one = await startMessageBus({ databaseUrl: database.url, pool, serverId: 'one', logger });
    two = await startMessageBus({ databaseUrl: database.url, pool, serverId: 'two', logger });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await pool?.end();
    await database?.drop();
  });

  it('carries a message to the other servers, not back to its sender', async () => {
    const heardByTwo: unknown[] = [];
    const heardByOne: unknown[] = [];
    const stopTwo = two.subscribe('override.changed', (body, from) => void heardByTwo.push({ body, from }));
    const stopOne = one.subscribe('override.changed', (body) => void heardByOne.push(body));
    await one.publish('override.changed', { breakerId });
    expect(await waitFor(() => heardByTwo[0], 'the message arriving')).toEqual({ body: { breakerId }, from: 'one' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heardByOne).toEqual([]);
    stopTwo();
    stopOne();
  });

  it('stores a message over the NOTIFY payload limit and sends only its id', async () => {
    const reason = 'x'.repeat(200);
    const targets = Array.from({ length: 60 }, (_, index) => ({ instanceId, name: `host-${index}`, command: command(reason) }));
    expect(Buffer.byteLength(JSON.stringify(targets))).toBeGreaterThan(NOTIFY_PAYLOAD_LIMIT_BYTES);
    const heard: Array<{ targets: unknown[] }> = [];
    const stop = two.subscribe('command.deliver', (body) => void heard.push(body));
    await one.publish('command.deliver', { breakerId, targets });
    const body = await waitFor(() => heard[0], 'the large message arriving');
    expect(body.targets).toHaveLength(60);
    expect(body).toEqual({ breakerId, targets });
    const stored = await database.query<{ topic: string }>('SELECT topic FROM cluster_messages');
    expect(stored).toEqual([{ topic: 'command.deliver' }]);
    // Old stored messages are deleted; young ones are kept for servers still reading them.
    expect(await one.deleteOldMessages()).toBe(0);
    await database.query(`UPDATE cluster_messages SET created_at = now() - interval '10 minutes'`);
    expect(await one.deleteOldMessages()).toBe(1);
    stop();
  });

  it('drops a message that does not match its topic schema, and one on an unknown topic', async () => {
    const heard: unknown[] = [];
    const stop = two.subscribe('override.changed', (body) => void heard.push(body));
    await pool.query('SELECT pg_notify($1, $2)', ['panel_cluster', JSON.stringify({ from: 'rogue', topic: 'override.changed', body: { breakerId: 'not-a-uuid' } })]);
    await pool.query('SELECT pg_notify($1, $2)', ['panel_cluster', JSON.stringify({ from: 'rogue', topic: 'rm -rf', body: {} })]);
    await pool.query('SELECT pg_notify($1, $2)', ['panel_cluster', 'not json']);
    await one.publish('override.changed', { breakerId });
    await waitFor(() => heard[0], 'the valid message arriving');
    expect(heard).toEqual([{ breakerId }]);
    stop();
  });

  it("lets one server claim a cluster job run per period, and another take over a dead holder's lease", async () => {
    const a = createClusterLeases({ pool, serverId: 'a' });
    const b = createClusterLeases({ pool, serverId: 'b' });
    const claims = await Promise.all([a.claimRun('job', 60_000, 1_000), b.claimRun('job', 60_000, 1_000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Within the period nobody runs it again, released or not.
    await (claims[0] ? a : b).release('job');
    expect(await a.claimRun('job', 60_000, 1_000)).toBe(false);
    expect(await b.claimRun('job', 60_000, 1_000)).toBe(false);

    // A holder that dies mid-run keeps the next run from the others only until its lease runs out.
    expect(await a.claimRun('short', 100, 600)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await b.claimRun('short', 100, 600)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await b.claimRun('short', 100, 600)).toBe(true);
    const [row] = await database.query<{ holder: string; runs: string }>(`SELECT holder, runs::text FROM cluster_leases WHERE name = 'short'`);
    expect(row).toEqual({ holder: 'b', runs: '2' });
  });

  it('tells live servers from stopped and silent ones', async () => {
    const first = await startServerRegistry({ pool, serverId: 'first', version: '1.0.0', heartbeatMs: 100, deadAfterMs: 400, logger });
    const second = await startServerRegistry({ pool, serverId: 'second', version: '1.0.0', heartbeatMs: 100, deadAfterMs: 400, logger });
    expect([...(await first.aliveIds())].sort()).toEqual(['first', 'second']);
    await second.stop();
    expect([...(await first.aliveIds())]).toEqual(['first']);
    // A server that stops heartbeating without stopping (kill -9) is dead once its heartbeat is old enough.
    await database.query(`UPDATE servers SET stopped_at = NULL, heartbeat_at = now() - interval '1 second' WHERE id = 'second'`);
    const rows = await first.list();
    expect(rows.find((row) => row.id === 'second')).toMatchObject({ alive: false, stoppedAt: null, version: '1.0.0' });
    await first.stop();
  });
});
