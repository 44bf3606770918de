import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAggregate } from '../../../server/aggregate/aggregate';
import { BatchConfigs, createPartEncoder } from '../../../server/cluster/part-encoder';
import { PART_FORMAT } from '../../../server/cluster/part-wire';
import { startPartialExchange } from '../../../server/cluster/partial-exchange';
import { createRemotePartials } from '../../../server/cluster/remote-partials';
import type { ServerRow } from '../../../server/cluster/server-registry';
import { nameFullReport } from '../../../server/ingest/named-report';
import { createLogger } from '../../../server/logger';
import { instanceRun } from '../../fixtures/protocol-messages';
import { createMigratedDatabase, type TestDatabase } from '../../fixtures/test-database';

const BREAKER = '3c9b1f0e-5d2a-4e8f-9a6b-7c1d2e3f4a5b';
const OTHER = '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d';

const waitFor = async (check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/**
 * Two servers' exchanges of parts on a real Postgres, and batches written as
 * a server of another version would: the reader logs them, leaves them out
 * and goes on with the batches it understands.
 */
describe('batches of parts from a server of another version', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createMigratedDatabase(inject('postgresAdminUrl'));
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('leaves out a batch of another format and a part it cannot read, with a warning, and takes the next ones', async () => {
    const registry = {
      list: async (): Promise<ServerRow[]> => ['one', 'two'].map((id) => ({ id, version: 'test', host: 'test', pid: 1, startedAt: new Date(), heartbeatAt: new Date(), stoppedAt: null, alive: true })),
    };
    const exchangeOf = (serverId: string, aggregate: ReturnType<typeof createAggregate>, remote: ReturnType<typeof createRemotePartials>, logger = createLogger('silent')) =>
      startPartialExchange({ pool, databaseUrl: database.url, serverId, aggregate, remote, registry, heartbeatMs: 60_000, publishEveryMs: 60_000, bucketMs: 3_600_000, now: Date.now, logger });

    // Server one holds an instance of the breaker; server two reads one's parts and logs its warnings here.
    const aggregate = createAggregate({ now: Date.now, staleAfterMs: 60_000, bucketSeconds: 10 });
    const report = (instance: string, state: 'CLOSED' | 'OPEN') => {
      const run = instanceRun('checkout', instance);
      if (!aggregate.instances.get(instance)) {
        aggregate.register(
          { id: instance, serviceId: 's1', serviceName: 'checkout', name: instance, labels: {}, runId: run.ref.runId },
          [{ breakerId: BREAKER, name: 'payments', config: null }],
          Date.now(),
        );
        aggregate.setTransport(instance, 'socket');
      }
      aggregate.applyReport(instance, nameFullReport(run.report([run.breaker('payments', { success: 1 }, state)])));
    };
    report('i-1', 'CLOSED');
    const warnings: Array<{ msg: string; issue?: string }> = [];
    const lines = new Writable({
      write(chunk: Buffer, _encoding, done) {
        warnings.push(JSON.parse(chunk.toString()) as { msg: string; issue?: string });
        done();
      },
    });
    const remote = createRemotePartials({ serverId: 'two' });
    const one = await exchangeOf('one', aggregate, createRemotePartials({ serverId: 'one' }));
    const two = await exchangeOf('two', createAggregate({ now: Date.now, staleAfterMs: 60_000, bucketSeconds: 10 }), remote, createLogger('warn', Date.now, lines));
    const seen = () => remote.views.instances(BREAKER, undefined, Date.now()).map((row) => [row.name, row.state]);
    try {
      expect(seen()).toEqual([['i-1', 'CLOSED']]);

      // Server three, of another version, writes a batch of the first format (which would drop the breaker's parts), one of a format to come, and one of this format with a part not understood beside one that is.
      let number = 0;
      const write = async (body: object) => {
        number += 1;
        await pool.query(
          `WITH batch AS (INSERT INTO cluster_part_batches (server_id, number, whole, body) VALUES ('three', $1, false, $2) RETURNING number)
           SELECT pg_notify('panel_partials', json_build_object('server', 'three', 'number', number)::text) FROM batch`,
          [number, JSON.stringify(body)],
        );
      };
      await write({ parts: [{ id: BREAKER, part: null }] });
      await write({ format: 3, configs: [], parts: [[BREAKER]] });
      await waitFor(() => warnings.filter((line) => line.msg === 'cluster partials: unreadable batch left out').length === 2, 'two warnings of unreadable batches');
      const configs = new BatchConfigs();
      const understood = createPartEncoder().encode({ ...aggregate.partial(BREAKER)!, id: OTHER, name: 'ledger' }, aggregate.ownInstancesOf(BREAKER), false, configs);
      await write({ format: PART_FORMAT, configs: configs.list, parts: [[BREAKER, 'not a part', null], understood] });
      await waitFor(() => warnings.some((line) => line.msg === 'cluster partials: unreadable parts left out'), 'a warning of an unreadable part');
      expect(seen()).toEqual([['i-1', 'CLOSED']]);
      expect([...remote.views.remoteOnly()].map((breaker) => breaker.id).sort()).toEqual([BREAKER, OTHER].sort());

      // Server one's next batch is read as ever: its instance's new state arrives.
      report('i-1', 'OPEN');
      one.noteChanged([BREAKER], 'state');
      await one.flush();
      await waitFor(() => seen()[0]?.[1] === 'OPEN', 'the next batch taken');
      expect(warnings.map((line) => line.msg).filter((msg) => !msg.includes('unreadable'))).toEqual([]);
    } finally {
      await two.stop();
      await one.stop();
    }
  }, 30_000);
});
