import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, signInPage, test } from './fixtures';

test('trip and release from the UI reach every instance, survive restarts of the service and of the server, and are audited', async ({ adminPage: page, panel, browser }) => {
  test.setTimeout(180_000);
  const key = await createReporterKey(page, panel.url, 'checkout');
  const env = { PANEL_URL: panel.url, PANEL_API_KEY: key, SERVICE: 'checkout', BREAKER: 'payments-api' };
  const services: SdkServiceProcess[] = [];
  try {
    services.push(await startSdkService({ ...env, INSTANCE: 'web-1', ZONE: 'eu-1' }), await startSdkService({ ...env, INSTANCE: 'web-2', ZONE: 'eu-2' }));
    await page.goto(panel.url);
    await page.getByRole('link', { name: 'payments-api', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'checkout → payments-api' })).toBeVisible();
    await expect(page.getByRole('table').filter({ hasText: 'Instances' })).toContainText('web-2');
    // Which client each instance uses, so the operator knows a command is pushed to them at once.
    await expect(page.getByRole('table').filter({ hasText: 'Instances' }).getByRole('row').filter({ hasText: 'web-2' })).toContainText('Node SDK · socket');

    // Trip everywhere: the dialog states the blast radius and wants a reason.
    await page.getByRole('group', { name: 'Operator actions' }).getByRole('button', { name: 'Trip' }).click();
    const dialog = page.getByRole('dialog', { name: 'Trip checkout → payments-api' });
    await expect(dialog).toContainText('This rejects every call on 2 instances of checkout → payments-api');
    await expect(dialog.getByRole('button', { name: 'Trip now' })).toBeDisabled();
    await dialog.getByLabel('Reason (required)').fill('payments provider outage INC-7');
    await dialog.getByRole('button', { name: 'Trip now' }).click();
    // How fast a command arrives is measured by a benchmark (docs/performance.md), not asserted here.
    await Promise.all(services.map((service) => service.waitForState('FORCED_OPEN', 15_000)));
    const deliveries = page.getByRole('table').filter({ hasText: 'Delivery of the last trip' });
    await expect(deliveries.getByRole('row').filter({ hasText: 'applied' })).toHaveCount(2);
    await expect(page.getByRole('status', { name: 'Override in force' })).toContainText('payments provider outage INC-7');

    // The service process dies and comes back while tripped: it comes back tripped.
    await services[0]!.stop();
    services[0] = await startSdkService({ ...env, INSTANCE: 'web-1', ZONE: 'eu-1' });
    await services[0].waitForState('FORCED_OPEN', 10_000);

    // The server restarts while tripped: still tripped once everything reconnected.
    expect(await panel.stop()).toBe(0);
    await panel.start();
    await page.reload();
    await expect(page.getByRole('status', { name: 'Override in force' })).toContainText('payments provider outage INC-7');
    await expect(page.getByRole('table').filter({ hasText: 'Instances' }).getByRole('row').filter({ hasText: 'FORCED_OPEN' })).toHaveCount(2, { timeout: 40_000 });

    // Release: calls pass again.
    const beforeRelease = services.map((service) => service.mark());
    await page.getByRole('group', { name: 'Operator actions' }).getByRole('button', { name: 'Release' }).click();
    const release = page.getByRole('dialog', { name: 'Release checkout → payments-api' });
    await release.getByLabel('Reason (required)').fill('provider recovered');
    await release.getByRole('button', { name: 'Release now' }).click();
    // An instance still reconnecting after the restart (its backoff reaches 8 s) is released when it is back and reports the trip it holds.
    await Promise.all(services.map((service, index) => service.waitForState('CLOSED', 20_000, beforeRelease[index])));
    await expect(page.getByRole('status', { name: 'Override in force' })).toHaveCount(0);

    // An expiring trip releases itself on time (through the API: the UI offers 15 minutes at least).
    const session = (await (await page.request.get(`${panel.url}/api/v1/auth/session`)).json()) as { csrfToken: string };
    const before = services[1]!.mark();
    const breakerId = page.url().split('/breakers/')[1]!.split('?')[0]!;
    const tripped = await page.request.post(`${panel.url}/api/v1/breakers/${breakerId}/actions`, {
      data: { action: 'trip', scope: { labels: { zone: 'eu-2' } }, reason: 'short isolation of eu-2', expiresIn: 10 },
      headers: { 'x-csrf-token': session.csrfToken, origin: panel.url },
    });
    expect(tripped.status()).toBe(201);
    const trippedAt = Date.now();
    await services[1]!.waitForState('FORCED_OPEN', 10_000, before);
    await services[1]!.waitForState('CLOSED', 15_000, before);
    expect(Date.now() - trippedAt).toBeGreaterThan(9_000);
    await expect(page.getByRole('status', { name: 'Override in force' })).toHaveCount(0, { timeout: 5_000 });

    // A viewer sees the breaker but no buttons, and the API refuses them.
    const invite = await page.request.post(`${panel.url}/api/v1/users`, { data: { email: 'watcher@example.test', role: 'viewer' }, headers: { 'x-csrf-token': session.csrfToken, origin: panel.url } });
    const { temporaryPassword } = (await invite.json()) as { temporaryPassword: string };
    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await signInPage(viewer, panel.url, 'watcher@example.test', temporaryPassword);
    await viewer.goto(`${panel.url}/breakers/${breakerId}`);
    await expect(viewer.getByRole('heading', { name: 'checkout → payments-api' })).toBeVisible();
    await expect(viewer.getByRole('group', { name: 'Operator actions' })).toHaveCount(0);
    const viewerSession = (await (await viewer.request.get(`${panel.url}/api/v1/auth/session`)).json()) as { csrfToken: string };
    const refused = await viewer.request.post(`${panel.url}/api/v1/breakers/${breakerId}/actions`, {
      data: { action: 'trip', scope: { all: true }, reason: 'viewer tries' },
      headers: { 'x-csrf-token': viewerSession.csrfToken, origin: panel.url },
    });
    expect(refused.status()).toBe(403);
    await viewerContext.close();

    // Every action is in the audit with its reason.
    await page.goto(`${panel.url}/audit`);
    const audit = page.getByRole('table');
    await expect(audit.getByRole('row').filter({ hasText: 'breaker.trip' }).filter({ hasText: 'payments provider outage INC-7' })).toHaveCount(1);
    await expect(audit.getByRole('row').filter({ hasText: 'breaker.release' }).filter({ hasText: 'provider recovered' })).toHaveCount(1);
    await expect(audit.getByRole('row').filter({ hasText: 'short isolation of eu-2' })).toHaveCount(1);
    await expect(audit.getByRole('row').filter({ hasText: 'viewer tries' })).toHaveCount(0);
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
});
