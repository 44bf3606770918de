import type { Locator, Page } from '@playwright/test';
import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, test } from './fixtures';

/** A colour custom property of the page as it resolves now (the theme follows the system setting), as [r, g, b]. */
const rgbOf = (page: Page, property: string) =>
  page.evaluate((name) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${name})`;
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  }, property);

/**
 * Where the map's drawing shows exactly `rgb`, opaque, in page coordinates
 * (a line drawn in that colour at full opacity has such pixels along it);
 * with no colour, every pixel drawn at all.
 */
const pixelsOf = (map: Locator, rgb: number[] | null) =>
  map.locator('canvas').evaluate((canvas: HTMLCanvasElement, wanted) => {
    const { data, width } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const box = canvas.getBoundingClientRect();
    const scale = box.width / width;
    const found: Array<{ x: number; y: number }> = [];
    for (let offset = 0; offset < data.length; offset += 4) {
      const matches = wanted ? data[offset] === wanted[0] && data[offset + 1] === wanted[1] && data[offset + 2] === wanted[2] && data[offset + 3] === 255 : data[offset + 3]! > 0;
      if (!matches) continue;
      const pixel = offset / 4;
      found.push({ x: box.left + ((pixel % width) + 0.5) * scale, y: box.top + (Math.floor(pixel / width) + 0.5) * scale });
    }
    return found;
  }, rgb);

test('the map draws a shared dependency once, recolours its edge live when the breaker trips, and an edge opens its breaker', async ({ adminPage: page, panel }) => {
  test.setTimeout(120_000);
  const services: SdkServiceProcess[] = [];
  try {
    const checkoutKey = await createReporterKey(page, panel.url, 'checkout');
    const ordersKey = await createReporterKey(page, panel.url, 'orders');
    const checkout = await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: checkoutKey, SERVICE: 'checkout', INSTANCE: 'checkout-1', BREAKER: 'payments-api', OPEN_TIMEOUT_MS: '60000' });
    services.push(checkout);
    // Another service's breaker on the same dependency, named for an operation on it.
    services.push(await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: ordersKey, SERVICE: 'orders', INSTANCE: 'orders-1', BREAKER: 'payments-api:refunds' }));
    services.push(await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: ordersKey, SERVICE: 'orders', INSTANCE: 'orders-2', BREAKER: 'inventory-api' }));

    await page.goto(`${panel.url}/map`);
    const map = page.getByRole('region', { name: 'Dependency map' });
    const nodes = map.getByRole('list', { name: 'Services and dependencies' }).getByRole('listitem');
    await expect(nodes).toHaveCount(4);
    await expect(page.getByLabel('Map size')).toContainText('2 services · 2 dependencies · 3 breakers');
    // payments-api is one node with two breakers guarding it.
    await expect(nodes.filter({ hasText: /^payments-api/ })).toHaveCount(1);

    const edge = map.getByRole('link', { name: /^checkout → payments-api: / });
    const refunds = map.getByRole('link', { name: /^orders → payments-api:refunds: / });
    await expect(edge).toHaveAccessibleName('checkout → payments-api: Closed, 1/1 live');
    await expect(refunds).toHaveAttribute('data-status', /closed|idle/);
    // The map is drawn, and nothing in it in the open colour yet.
    const openColour = await rgbOf(page, '--state-open');
    await expect.poll(async () => (await pixelsOf(map, null)).length).toBeGreaterThan(1_000);
    expect(await pixelsOf(map, openColour)).toHaveLength(0);

    // The dependency fails: the edge turns open within 2 s of the breaker opening, without a reload, in its words and in the drawing; the other edge does not.
    checkout.setMode('failing');
    await checkout.waitForState('OPEN');
    await expect(edge).toHaveAttribute('data-status', 'open', { timeout: 2_000 });
    await expect(edge).toHaveAccessibleName('checkout → payments-api: Open, 1/1 open');
    await expect.poll(async () => (await pixelsOf(map, openColour)).length, { timeout: 2_000 }).toBeGreaterThan(50);
    await expect(refunds).toHaveAttribute('data-status', /closed|idle/);
    await expect(nodes.filter({ hasText: /^payments-api/ })).toHaveAccessibleName('payments-api: 1 of 2 breakers open');

    // The drawing follows the theme: in the dark one the open line takes the dark theme's open colour.
    await page.emulateMedia({ colorScheme: 'dark' });
    const darkOpenColour = await rgbOf(page, '--state-open');
    expect(darkOpenColour).not.toEqual(openColour);
    await expect.poll(async () => (await pixelsOf(map, darkOpenColour)).length).toBeGreaterThan(50);

    // The pointer on the open line names its breaker (the node's open border and count name nothing); a click there opens it.
    const canvas = map.locator('canvas');
    const open = await pixelsOf(map, darkOpenColour);
    let onLine: { x: number; y: number } | null = null;
    for (const point of open.filter((_, index) => index % Math.ceil(open.length / 60) === 0)) {
      await page.mouse.move(point.x, point.y);
      if ((await canvas.getAttribute('title'))?.startsWith('checkout → payments-api: Open')) {
        onLine = point;
        break;
      }
    }
    expect(onLine).not.toBeNull();
    await page.mouse.click(onLine!.x, onLine!.y);
    await expect(page).toHaveURL(/\/breakers\/[^/]+$/);
    await expect(page.getByRole('heading', { name: 'checkout → payments-api' })).toBeVisible();

    // From the keyboard: with an edge's link focused the map shows its name, and Enter opens its breaker.
    await page.goBack();
    await refunds.focus();
    const caption = map.locator('p[aria-hidden]');
    await expect(caption).toHaveText(/^orders → payments-api:refunds: Closed/);
    await expect(caption).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/breakers\/[^/]+$/);
    await expect(page.getByRole('heading', { name: 'orders → payments-api:refunds' })).toBeVisible();
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
});
