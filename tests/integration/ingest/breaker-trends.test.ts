import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import type { TCallTrends } from '../../../lib/api/call-trends.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { BREAKER_BUCKETS_10S, ensurePartition } from '../../../server/store/partitions';
import { connectAgent, send } from '../../fixtures/agent-client';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { instanceRun } from '../../fixtures/protocol-messages';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';

describe('GET /api/v1/breaker-trends', () => {
  const setup = usePanelOnFreshDatabase();
  let viewer: SignedInClient;

  beforeAll(async () => {
    viewer = await signIn(setup.panel.url);
  });

  it("gives each breaker's calls per second per stored 10 s bucket over the last 15 minutes, zeros where there were none", async () => {
    const key = (await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create('checkout')).key;
    const run = instanceRun('checkout');
    const agent = await connectAgent(setup.panel.url, key);
    await send(agent, 'instance:register', run.register(['payments-api', 'inventory-api']));
    agent.close();
    const { breakers } = await viewer.getJson<TBreakerList>('/api/v1/breakers?sort=name');
    const [inventory, payments] = breakers.map((breaker) => breaker.id);

    // Buckets as the flusher writes them: two minutes ago (over two instances), a minute ago, and older than the window.
    const step = 10_000;
    const bucketOf = (time: number) => time - (time % step);
    const aligned = bucketOf(Date.now());
    // Shortly after midnight UTC the older buckets fall in yesterday's partition, which a fresh database does not have.
    const pool = new pg.Pool({ connectionString: setup.database.url });
    await ensurePartition(pool, BREAKER_BUCKETS_10S, aligned - 20 * 60_000);
    await pool.end();
    const bucket = (breakerId: string, at: number, success: number, failure: number, rejected: number) =>
      setup.database.query('INSERT INTO breaker_buckets (breaker_id, resolution_secs, bucket_start, success, failure, timeout, rejected, slow, fallback) VALUES ($1, 10, $2, $3, $4, 1, $5, 0, 0)', [
        breakerId,
        new Date(at),
        success,
        failure,
        rejected,
      ]);
    await bucket(payments!, aligned - 120_000, 100, 10, 9);
    await bucket(payments!, aligned - 60_000, 50, 0, 0);
    await bucket(payments!, aligned - 20 * 60_000, 999, 0, 0);

    const answer = await viewer.getJson<TCallTrends>(`/api/v1/breaker-trends?ids=${payments},${inventory}`);
    expect(answer.stepMs).toBe(step);
    const values = answer.trends[payments!]!;
    expect(values).toHaveLength(90);
    const at = (time: number) => values[(time - answer.from) / step];
    expect(at(aligned - 120_000)).toBe(12); // (100 + 10 + 1 + 9) calls / 10 s
    expect(at(aligned - 60_000)).toBe(5.1);
    expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(17.1);
    expect(answer.trends[inventory!]).toEqual(new Array(90).fill(0));
    // The window ends before the bucket still filling.
    expect(answer.from + 90 * step).toBeLessThanOrEqual(aligned);
  });

  it('names what is wrong with the ids', async () => {
    for (const query of ['', '?ids=', '?ids=not-a-uuid', `?ids=${Array.from({ length: 201 }, () => crypto.randomUUID()).join(',')}`]) {
      const answer = await viewer.request(`/api/v1/breaker-trends${query}`);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(await answer.json())).toContain('ids');
    }
    expect((await fetch(`${setup.panel.url}/api/v1/breaker-trends?ids=${crypto.randomUUID()}`)).status).toBe(401);
  });
});
