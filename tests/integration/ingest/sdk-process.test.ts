import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBreakerDetail } from '../../../lib/api/breaker-detail.js';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import type { TTransitionRecord } from '../../../lib/api/transition-record.js';
import type { TBreakersChanged } from '../../../lib/live/dashboard-events.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn } from '../../fixtures/signed-in';
import { startSdkService, type SdkServiceProcess } from '../../fixtures/sdk-service-process';

describe('a real SDK service process reporting to the panel', () => {
  // Reports decoded on the main thread here, as on a single core; the other ingest tests use the decoder thread (the default with two cores or more).
  const setup = usePanelOnFreshDatabase({ REPORT_INTERVAL_MS: '200', FLUSH_INTERVAL_MS: '200' });
  let service: SdkServiceProcess;

  beforeAll(async () => {
    const { key } = await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create('checkout');
    service = await startSdkService({ PANEL_URL: setup.panel.url, PANEL_API_KEY: key, SERVICE: 'checkout', INSTANCE: 'web-1', OPEN_TIMEOUT_MS: '60000' });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('shows its breaker opening on a dashboard socket and through the read API, with the transition stored', async () => {
    const admin = await signIn(setup.panel.url);
    const dashboard = admin.connectDashboard();
    await dashboard.emitWithAck('live:subscribe', { scope: { kind: 'all' } });
    const transitions: TTransitionRecord[] = [];
    const states: Array<string | null> = [];
    dashboard.on('transition:new', (record: TTransitionRecord) => transitions.push(record));
    dashboard.on('breakers:changed', ({ breakers }: TBreakersChanged) => states.push(...breakers.filter((b) => b.name === 'payments-api').map((b) => b.state)));

    service.setMode('failing');
    await service.waitForState('OPEN');
    await expect.poll(() => transitions.map((record) => `${record.instance}:${record.from}->${record.to}`), { timeout: 10_000 }).toContain('web-1:CLOSED->OPEN');
    await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('OPEN');

    // The transition is sent at once; the counters of the failed calls come with the next report.
    const readBreaker = async () => ((await admin.getJson<TBreakerList>('/api/v1/breakers?service=checkout')) as TBreakerList).breakers.find((item) => item.name === 'payments-api')!;
    await expect.poll(async () => (await readBreaker()).rates.failureRate, { timeout: 5_000 }).toBeGreaterThan(0);
    const breaker = await readBreaker();
    expect(breaker).toMatchObject({ state: 'OPEN', instances: { total: 1, byState: { OPEN: 1 } } });
    const detail = await admin.getJson<TBreakerDetail>(`/api/v1/breakers/${breaker.id}`);
    expect(detail.instances).toMatchObject([{ name: 'web-1', labels: { zone: 'eu-1' }, state: 'OPEN' }]);
    expect(detail.recentTransitions[0]).toMatchObject({ from: 'CLOSED', to: 'OPEN', cause: 'failure_rate', instance: 'web-1' });
    dashboard.close();
  });
});
