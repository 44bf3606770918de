import type { TBreakerList } from '../../lib/api/breaker-list';
import { startFakeBreakerService, type FakeBreakerServiceProcess } from '../fixtures/fake-breaker-service-process';
import { expect, test } from './fixtures';

test('an admin adds an actuator and a scrape in the UI, and an operator trips the actuator breaker from the dashboard', async ({ adminPage: page, panel }) => {
  test.setTimeout(120_000);
  let fake: FakeBreakerServiceProcess | null = null;
  try {
    fake = await startFakeBreakerService({ breakers: ['inventory'], basic: { username: 'actuator', password: 'e2e-secret' } });
    await page.goto(`${panel.url}/admin`);
    const form = page.getByRole('form', { name: 'Add a source' });
    const add = async (kind: string, name: string, service: string, target: string) => {
      await form.getByLabel('Kind').selectOption(kind);
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Service').fill(service);
      await form.getByLabel('Targets (one URL per line)').fill(target);
      await form.getByLabel('Every (s)').fill('1');
      await form.getByLabel('Credentials').selectOption('basic');
      await form.getByLabel('User').fill('actuator');
      await form.getByLabel('Password').fill('e2e-secret');
      await form.getByRole('button', { name: 'Add source' }).click();
      await expect(page.getByRole('status', { name: `Status of ${name}` })).toContainText('ok · last read', { timeout: 15_000 });
    };
    await add('actuator', 'orders actuator', 'orders', `${fake.url}/actuator`);
    await add('prometheus', 'orders metrics', 'orders-metrics', `${fake.url}/actuator/prometheus`);
    await expect(page.getByRole('region', { name: 'Sources' })).not.toContainText('e2e-secret');
    await page.screenshot({ path: test.info().outputPath('admin-sources.png'), fullPage: true });

    // The overview mixes them with everything else and says which can be steered.
    await page.goto(panel.url);
    await expect(page.getByText('Resilience4j actuator', { exact: false }).first()).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText('Prometheus scrape (read-only)', { exact: false }).first()).toBeVisible();

    const idOf = async (service: string) => ((await (await page.request.get(`${panel.url}/api/v1/breakers?service=${service}`)).json()) as TBreakerList).breakers[0]!.id;

    // A read-only breaker: the dialog leaves its instance out and says why.
    await page.goto(`${panel.url}/breakers/${await idOf('orders-metrics')}`);
    await expect(page.getByRole('table').filter({ hasText: 'Instances' })).toContainText('Prometheus scrape (read-only)');
    await page.getByRole('group', { name: 'Operator actions' }).getByRole('button', { name: 'Trip' }).click();
    const readOnly = page.getByRole('dialog', { name: 'Trip orders-metrics → inventory' });
    await expect(readOnly).toContainText('This rejects every call on 0 instances');
    await expect(readOnly.getByTestId('left-out')).toContainText('Left out: 1 read-only instance');
    await readOnly.getByRole('button', { name: 'Cancel' }).click();

    // The actuator breaker: the trip is posted to the actuator, whose breaker becomes FORCE_OPEN.
    await page.goto(`${panel.url}/breakers/${await idOf('orders')}`);
    await expect(page.getByRole('table').filter({ hasText: 'Instances' })).toContainText('Resilience4j actuator');
    await page.getByRole('group', { name: 'Operator actions' }).getByRole('button', { name: 'Trip' }).click();
    const dialog = page.getByRole('dialog', { name: 'Trip orders → inventory' });
    await expect(dialog).toContainText('This rejects every call on 1 instance of orders → inventory');
    await dialog.getByLabel('Reason (required)').fill('inventory database failover');
    await dialog.getByRole('button', { name: 'Trip now' }).click();
    await expect.poll(async () => (await fake!.states()).states.inventory, { timeout: 10_000 }).toBe('FORCED_OPEN');
    expect((await fake.states()).writes).toEqual([{ breaker: 'inventory', updateState: 'FORCE_OPEN' }]);
    await expect(page.getByRole('table').filter({ hasText: 'Delivery of the last trip' }).getByRole('row').filter({ hasText: 'applied' })).toHaveCount(1);
    await expect(page.getByRole('table').filter({ hasText: 'Instances' }).getByRole('row').filter({ hasText: 'FORCED_OPEN' })).toHaveCount(1, { timeout: 10_000 });
  } finally {
    await fake?.stop();
  }
});
