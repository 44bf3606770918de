import { randomUUID } from 'node:crypto';
import type { TBreakerList } from '../../lib/api/breaker-list';
import type { TTimeline } from '../../lib/history/timeline';
import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, inviteUser, test } from './fixtures';

const DAY_MS = 24 * 3_600_000;

test('a fresh breaker: history fits its first seconds, durations read as people read them, an open breaker explains its empty rates', async ({ adminPage: page, panel }) => {
  test.setTimeout(150_000);
  const key = await createReporterKey(page, panel.url, 'checkout');
  let service: SdkServiceProcess | undefined;
  try {
    // A day-long open timeout: once open, the breaker rejects every call for the rest of the test.
    service = await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: key, SERVICE: 'checkout', INSTANCE: 'web-1', BREAKER: 'payments-api', OPEN_TIMEOUT_MS: String(DAY_MS) });
    const firstBreaker = async () => ((await (await page.request.get(`${panel.url}/api/v1/breakers?service=checkout`)).json()) as TBreakerList).breakers[0]?.id;
    await expect.poll(firstBreaker).toBeTruthy();
    const breakerId = (await firstBreaker())!;

    // The breaker's page at once, while the charts have a point or two: they say how much data there is; the configuration is humanised.
    await page.goto(`${panel.url}/breakers/${breakerId}`);
    await expect(page.getByRole('heading', { name: 'checkout → payments-api' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^(No calls recorded in this range yet|[12] points? over .+); the charts fill as data arrives\.$/ })).toBeVisible();
    const config = page.locator('dl').filter({ hasText: 'Open timeout' });
    await expect(config.locator('div', { hasText: 'Open timeout' }).locator('dd')).toHaveText('24 h');
    await expect(config.locator('div', { hasText: 'Call timeout' }).locator('dd')).toHaveText('off');
    await expect(page.getByText(String(DAY_MS))).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Recent rates' })).toContainText(/calls\/s · failures .* · p99 /);

    // A breaker's first state is stored with the next write of breaker states (FLUSH_INTERVAL_MS): once it is, the
    // page's first load already draws the lane's first segment, where the checks below look for it.
    const storedSegments = async () => {
      const now = Date.now();
      const shown = await page.request.get(`${panel.url}/api/v1/history/timeline?breaker=${breakerId}&from=${now - 60_000}&to=${now}`);
      return ((await shown.json()) as TTimeline).lanes[0]?.segments.length ?? 0;
    };
    await expect.poll(storedSegments).toBeGreaterThan(0);

    // History without a range opens on one that fits seconds of data, not 24 h with the data as a sliver at the right edge.
    await page.goto(`${panel.url}/history`);
    const exportLink = page.getByRole('link', { name: 'Transitions CSV' });
    const shownSpan = async () => {
      const shown = new URL((await exportLink.getAttribute('href')) ?? '', panel.url);
      return Number(shown.searchParams.get('to')) - Number(shown.searchParams.get('from'));
    };
    await expect.poll(shownSpan).toBeLessThan(5 * 60_000);
    // The fitted range is shown, not written into the URL: a link clicked meanwhile is never pulled back.
    await expect(page).toHaveURL(/\/history$/);
    const lane = page.getByRole('img', { name: /^checkout\/payments-api: / });
    await expect(lane).toBeVisible();
    // The lane's first segment starts where the data starts: well inside the lane (at 24 h it would sit in the last 0.01 %).
    await expect(lane.locator('rect').first()).toBeVisible();
    const firstX = Number(await lane.locator('rect').first().getAttribute('x'));
    expect(firstX).toBeLessThan(900);
    await expect(page.getByRole('group', { name: 'Time range' }).getByRole('button', { pressed: true })).toHaveCount(0);

    // A range chosen in the URL wins.
    await page.goto(`${panel.url}/history?range=24h`);
    await expect(page.getByRole('button', { name: '24 h', pressed: true })).toBeVisible();

    await page.goto(`${panel.url}/breakers/${breakerId}`);
    // Open for a day: every call is rejected, and the page says so instead of showing dashes.
    service.setMode('failing');
    await service.waitForState('OPEN');
    await expect(page.getByRole('region', { name: 'Recent rates' })).toHaveText(/^Now: No calls executed: all [\d,]+(\/s)? rejected while open, so there is no failure rate or p99\.$/, {
      timeout: 45_000,
    });
    // Once the series has caught up it counts the rejected calls.
    await expect(page.getByRole('region', { name: 'Recent rates' })).toHaveText(/all \d{1,3}(,\d{3})* rejected while open/, { timeout: 30_000 });

    // With enough points the charts draw; a tooltip shows under the pointer and goes once the pointer leaves the charts.
    const calls = page.getByRole('figure', { name: 'Calls per second by outcome' });
    await expect(calls).toBeVisible({ timeout: 30_000 });
    const box = (await calls.getByRole('application').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    await expect(page.locator('.recharts-tooltip-wrapper:visible')).not.toHaveCount(0);
    await page.mouse.move(2, 2);
    await expect(page.locator('.recharts-tooltip-wrapper:visible')).toHaveCount(0);

    // The overview row explains its empty failure rate and p99 too.
    await page.goto(panel.url);
    const row = page.getByRole('row').filter({ hasText: 'payments-api' });
    const failures = row.getByRole('cell').filter({ hasText: /^rejected$/ });
    await expect(failures).toBeVisible();
    await expect(failures).toHaveAttribute('title', /^no calls executed: all [\d.]+\/s rejected while open$/);
    await expect(row.getByRole('cell').filter({ hasText: /^no calls$/ })).toHaveAttribute('title', /rejected while open/);
  } finally {
    await service?.stop();
  }
});

test('the audit names the target of each action: the invited user, the key’s service, the breaker', async ({ adminPage: page, panel }) => {
  test.setTimeout(120_000);
  const key = await createReporterKey(page, panel.url, 'billing');
  const password = await inviteUser(page, panel.url, 'riley@example.test', 'operator');
  expect(password.length).toBeGreaterThan(0);
  let service: SdkServiceProcess | undefined;
  try {
    service = await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: key, SERVICE: 'billing', INSTANCE: 'api-1', BREAKER: 'ledger-db' });
    await page.goto(panel.url);
    await page.getByRole('link', { name: 'ledger-db', exact: true }).click();
    await page.getByRole('group', { name: 'Operator actions' }).getByRole('button', { name: 'Trip' }).click();
    const dialog = page.getByRole('dialog', { name: 'Trip billing → ledger-db' });
    await dialog.getByLabel('Reason (required)').fill('ledger migration INC-9');
    await dialog.getByRole('button', { name: 'Trip now' }).click();
    await service.waitForState('FORCED_OPEN');

    await page.goto(`${panel.url}/audit`);
    const audit = page.getByRole('table');
    const invited = audit.getByRole('row').filter({ hasText: 'user.invited' });
    await expect(invited.getByRole('cell').nth(3)).toHaveText('user riley@example.test');
    await expect(audit.getByRole('row').filter({ hasText: 'api_key.created' }).getByRole('cell').nth(3)).toHaveText(/^API key billing \(key \S+…\)$/);
    await expect(audit.getByRole('row').filter({ hasText: 'breaker.trip' }).getByRole('cell').nth(3)).toHaveText('breaker billing/ledger-db');
    // Ids stay out of sight: only a hover carries one.
    const userId = (await invited.getByRole('cell').nth(3).locator('span[title]').getAttribute('title'))!.replace('user ', '');
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(audit).not.toContainText(userId);
  } finally {
    await service?.stop();
  }
});

test('an unknown breaker and an unknown page answer with a calm not-found page', async ({ adminPage: page, panel }) => {
  await page.goto(`${panel.url}/breakers/${randomUUID()}`);
  await expect(page.getByRole('heading', { name: 'Breaker not found', level: 1 })).toBeVisible();
  await expect(page.getByText('No breaker with this id is known to the panel.')).toBeVisible();
  await page.getByRole('link', { name: 'All breakers' }).last().click();
  await expect(page).toHaveURL(`${panel.url}/`);

  // Not a breaker id at all: the same page, not an error.
  await page.goto(`${panel.url}/breakers/not-a-breaker`);
  await expect(page.getByRole('heading', { name: 'Breaker not found', level: 1 })).toBeVisible();

  const response = await page.goto(`${panel.url}/no-such-page`);
  expect(response!.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'History' }).last()).toHaveAttribute('href', '/history');
});
