import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, test } from './fixtures';

test('a failing SDK service shows live on the overview and the detail page, and the page survives a server restart', async ({ adminPage: page, panel }) => {
  test.setTimeout(120_000);
  const key = await createReporterKey(page, panel.url, 'checkout');
  const services: SdkServiceProcess[] = [];
  try {
    const payments = await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: key, SERVICE: 'checkout', INSTANCE: 'web-1', BREAKER: 'payments-api', OPEN_TIMEOUT_MS: '3000' });
    services.push(payments);
    services.push(await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: key, SERVICE: 'checkout', INSTANCE: 'web-2', BREAKER: 'inventory-api' }));

    await page.goto(panel.url);
    const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row('payments-api')).toContainText('Closed');
    await expect(row('inventory-api')).toContainText('Closed');

    // The dependency fails: OPEN on the overview within 2 s of the breaker opening, without a reload.
    payments.setMode('failing');
    await payments.waitForState('OPEN');
    await expect(row('payments-api').getByText(/^▲/)).toBeVisible({ timeout: 2_000 });
    await expect(row('payments-api')).toContainText('1/1 open');
    // Unhealthy first.
    await expect(page.getByRole('row').nth(1)).toContainText('payments-api');

    // It recovers: no traffic while the open timeout runs (HALF_OPEN waits for a trial), then a good call closes it.
    payments.setMode('paused');
    await payments.waitForState('HALF_OPEN');
    await expect(row('payments-api')).toContainText('Half-open', { timeout: 2_000 });
    payments.setMode('healthy');
    await payments.waitForState('CLOSED');
    await expect(row('payments-api')).toContainText('Closed', { timeout: 2_000 });

    // Search and filters narrow the list and live in the URL, so they survive a reload.
    await page.getByRole('searchbox', { name: 'Search' }).fill('inventory');
    await expect(row('payments-api')).toHaveCount(0);
    await expect(row('inventory-api')).toHaveCount(1);
    await page.getByRole('combobox', { name: 'Service' }).selectOption('checkout');
    await expect(page).toHaveURL(/q=inventory/);
    await page.reload();
    await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('inventory');
    await expect(row('inventory-api')).toHaveCount(1);
    await expect(row('payments-api')).toHaveCount(0);
    // The sparkline is seeded from the stored buckets at once, not after two live samples 10 s apart.
    await expect(row('inventory-api').getByRole('img', { name: 'Calls per second, last 15 minutes, checkout inventory-api', exact: true })).toBeVisible({ timeout: 3_000 });

    // The detail page's charts show the failure spike.
    await page.goto(panel.url);
    await row('payments-api').getByRole('link', { name: 'payments-api' }).click();
    await expect(page.getByRole('heading', { name: 'checkout → payments-api' })).toBeVisible();
    await expect(page.getByLabel('Range summary')).toHaveText(/Peak failure rate [1-9]\d*%/, { timeout: 15_000 });
    await expect(page.getByRole('table').filter({ hasText: 'Instances' })).toContainText('web-1');

    // Stopping the server shows the banner with the age of the data; restarting brings data back without a reload.
    await page.goto(panel.url);
    await expect(row('payments-api')).toBeVisible();
    expect(await panel.stop()).toBe(0);
    await expect(page.getByRole('alert').filter({ hasText: 'Reconnecting to the server' })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Reconnecting to the server' })).toContainText(/old and not live/);
    await panel.start();
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('live', { timeout: 15_000 });
    await expect(page.getByRole('alert').filter({ hasText: 'Reconnecting to the server' })).toHaveCount(0);
    await expect(row('payments-api')).toContainText('Closed', { timeout: 40_000 });
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
});
