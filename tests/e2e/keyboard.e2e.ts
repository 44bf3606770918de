import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, test } from './fixtures';

test('on the overview, / focuses the search, j and k move through the rows with a visible focus, Enter opens the breaker, and typing is left alone', async ({ adminPage: page, panel }) => {
  test.setTimeout(90_000);
  const key = await createReporterKey(page, panel.url, 'checkout');
  const services: SdkServiceProcess[] = [];
  try {
    for (const breaker of ['inventory-api', 'payments-api', 'tax-api'])
      services.push(await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: key, SERVICE: 'checkout', INSTANCE: `web-${breaker}`, BREAKER: breaker }));
    await page.goto(panel.url);
    const links = page.getByRole('table', { name: 'Breakers' }).getByRole('row').getByRole('link');
    await expect(links).toHaveCount(3);
    const names = await links.allTextContents();

    const search = page.getByRole('searchbox', { name: 'Search' });
    await page.keyboard.press('/');
    await expect(search).toBeFocused();
    // While typing, j and k are letters, not moves.
    await page.keyboard.type('jk');
    await expect(search).toHaveValue('jk');
    await search.fill('');
    await search.blur();
    // The filter "jk" matched no row: the rows come back before j has one to move to.
    await expect(links).toHaveCount(3);

    const focusedName = () =>
      page.evaluate(() => (document.activeElement instanceof HTMLAnchorElement && document.activeElement.matches(':focus-visible') ? document.activeElement.textContent : null));
    await page.keyboard.press('j');
    await expect.poll(focusedName).toBe(names[0]);
    await page.keyboard.press('j');
    await expect.poll(focusedName).toBe(names[1]);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect.poll(focusedName).toBe(names[1]);
    // The row shows it too, not only the link's ring.
    await expect(page.locator('[data-active]')).toContainText(names[1]!);

    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: `checkout → ${names[1]}` })).toBeVisible();
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
});
