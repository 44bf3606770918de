import type { Page } from '@playwright/test';
import { startSdkService } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, test } from './fixtures';

/** Relative luminance (WCAG) of a computed `rgb(…)` colour. */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((part) => {
    const channel = Number(part) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

const bodyColours = (page: Page) => page.evaluate(() => ({ background: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.body).color }));

test('the theme follows the system setting, charts included', async ({ adminPage: page, panel }) => {
  test.setTimeout(150_000);
  const key = await createReporterKey(page, panel.url, 'checkout');
  const service = await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: key, SERVICE: 'checkout', INSTANCE: 'web-1', BREAKER: 'payments-api' });
  try {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(panel.url);
    const light = await bodyColours(page);
    expect(luminance(light.background)).toBeGreaterThan(0.8);

    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await bodyColours(page);
    expect(luminance(dark.background)).toBeLessThan(0.05);
    expect(contrast(dark.text, dark.background)).toBeGreaterThan(7);
    // The bar and the list panel follow too.
    const bar = await page.getByRole('navigation', { name: 'Pages' }).evaluate((element) => getComputedStyle(element.parentElement!).backgroundColor);
    expect(luminance(bar)).toBeLessThan(0.05);

    // The detail page's chart axes and tooltip read on the dark panel.
    await page.getByRole('link', { name: 'payments-api', exact: true }).click();
    const chart = page.getByRole('figure', { name: 'Calls per second by outcome' });
    const tick = chart.locator('.recharts-cartesian-axis-tick-value').first();
    // A chart is drawn from its third point on (before that it says how much data there is).
    await expect(tick).toBeVisible({ timeout: 60_000 });
    const tickFill = await tick.evaluate((element) => getComputedStyle(element).fill);
    expect(contrast(tickFill, dark.background)).toBeGreaterThan(4.5);
    await expect(page.getByLabel('Range summary')).toHaveText(/peak (?!0\.0 )[\d.]+ calls\/s/, { timeout: 30_000 });
    // A new install has data only at the right end of the range: sweep the pointer in from the right until a point answers.
    const box = (await chart.getByRole('application').boundingBox())!;
    const tooltip = chart.locator('.recharts-default-tooltip');
    await expect
      .poll(async () => {
        for (let x = box.x + box.width - 8; x > box.x + 50; x -= 12) {
          await page.mouse.move(x, box.y + box.height / 3);
          if (await tooltip.isVisible()) return true;
        }
        return false;
      })
      .toBe(true);
    const tooltipColours = await tooltip.evaluate((element) => ({
      background: getComputedStyle(element).backgroundColor,
      text: getComputedStyle(element.querySelector('.recharts-tooltip-label') ?? element).color,
    }));
    expect(luminance(tooltipColours.background)).toBeLessThan(0.05);
    expect(contrast(tooltipColours.text, tooltipColours.background)).toBeGreaterThan(7);
  } finally {
    await service.stop();
  }
});
