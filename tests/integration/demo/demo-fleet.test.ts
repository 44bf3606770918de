import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTransitionRecord } from '../../../lib/api/transition-record.js';
import { provisionDemoKeys } from '../../../server/demo/demo-keys';
import { DEMO_FLEET } from '../../../server/demo/fleet-plan';
import { startDemoFleet, type DemoFleet } from '../../../server/demo/run-fleet';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn, type SignedInClient } from '../../fixtures/signed-in';

// The script runs 4× faster here: the first outage at 7.5 s instead of 30 s.
const SPEED = 4;

describe('the demo fleet', () => {
  const setup = usePanelOnFreshDatabase();
  let admin: SignedInClient;
  let fleet: DemoFleet;

  beforeAll(async () => {
    admin = await signIn(setup.panel.url);
    const keys = await provisionDemoKeys(setup.panel.prisma, setup.panel.access.keys);
    fleet = startDemoFleet({ url: setup.panel.url, keys, speed: SPEED, maxInstancesPerService: 1 });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('runs real SDK processes whose transitions show every scripted incident kind', async () => {
    expect(fleet.processes).toBe(DEMO_FLEET.length);
    const transitions = async () => (await admin.getJson<{ transitions: TTransitionRecord[] }>('/api/v1/transitions?limit=5000')).transitions;
    const trips = (records: TTransitionRecord[], breaker: string) => records.filter((record) => record.breaker === breaker && record.to === 'OPEN');
    await expect
      .poll(
        async () => {
          const records = await transitions();
          return {
            outage: trips(records, 'payments-api').some((record) => record.cause === 'failure_rate'),
            slow: trips(records, 'fraud-check').some((record) => record.cause === 'slow_call_rate'),
            flapping: trips(records, 'index-api').length >= 2,
            stuck: trips(records, 'pricing-api').length >= 1,
          };
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toEqual({ outage: true, slow: true, flapping: true, stuck: true });
    // The stuck one waits for an operator: no trial, so it never leaves OPEN by itself.
    expect((await transitions()).filter((record) => record.breaker === 'pricing-api' && record.from === 'OPEN')).toEqual([]);

    const breakers = (await admin.getJson<{ breakers: Array<{ service: string; demo: boolean }> }>('/api/v1/breakers')).breakers;
    expect(breakers.length).toBeGreaterThan(20);
    expect(breakers.every((breaker) => breaker.demo)).toBe(true);
  }, 90_000);
});
