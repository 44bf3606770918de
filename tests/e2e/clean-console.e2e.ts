import type { Page } from '@playwright/test';
import type { TBreakerList } from '../../lib/api/breaker-list';
import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, signInPage, test, TEST_ADMIN } from './fixtures';

/** Collects console errors, uncaught errors and Content-Security-Policy violations of every document the page loads. */
async function watchForProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()} console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()} uncaught: ${error.message}`));
  await page.exposeFunction('reportPolicyViolation', (text: string) => problems.push(`${page.url()} securitypolicyviolation: ${text}`));
  await page.addInitScript(() => {
    // A violation the page's code catches (a probe for `new Function`) still fires this event.
    document.addEventListener(
      'securitypolicyviolation',
      (event) =>
        (window as unknown as { reportPolicyViolation(text: string): void }).reportPolicyViolation(
          `${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`,
        ),
      true,
    );
  });
  return problems;
}

test('every page loads with a clean console and no Content-Security-Policy violation', async ({ page, panel }) => {
  test.setTimeout(120_000);
  const problems = await watchForProblems(page);

  await page.goto(`${panel.url}/sign-in`);
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  await signInPage(page, panel.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const key = await createReporterKey(page, panel.url, 'checkout');
  let service: SdkServiceProcess | undefined;
  try {
    service = await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: key, SERVICE: 'checkout', INSTANCE: 'web-1', BREAKER: 'payments-api' });
    const firstBreaker = async () => ((await (await page.request.get(`${panel.url}/api/v1/breakers?service=checkout`)).json()) as TBreakerList).breakers[0]?.id;
    await expect.poll(firstBreaker).toBeTruthy();
    const breakerId = (await firstBreaker())!;

    const pages: Array<{ path: string; heading: string; live: boolean }> = [
      { path: '/', heading: 'Breaker Panel', live: true },
      { path: `/breakers/${breakerId}`, heading: 'Breaker Panel', live: true },
      { path: '/map', heading: 'Dependency map', live: true },
      { path: '/history', heading: 'Breaker Panel · History', live: true },
      { path: '/audit', heading: 'Audit trail', live: true },
      { path: '/admin', heading: 'Admin', live: false },
      { path: '/admin/notifications', heading: 'Notifications', live: false },
      { path: '/account', heading: 'Your account', live: false },
    ];
    for (const { path, heading, live } of pages) {
      const response = await page.goto(`${panel.url}${path}`);
      expect(response!.status(), path).toBe(200);
      await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
      if (live) await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('live');
      await page.waitForLoadState('networkidle');
    }
  } finally {
    await service?.stop();
  }
  expect(problems).toEqual([]);
});
