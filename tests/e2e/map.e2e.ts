import type { Locator } from '@playwright/test';
import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, test } from './fixtures';

/** Where the middle of an edge's visible line is on the screen: a real click lands on the line, not on its bounding box. */
async function middleOf(edge: Locator): Promise<{ x: number; y: number }> {
  await edge.scrollIntoViewIfNeeded();
  return edge
    .locator('path')
    .last()
    .evaluate((path: SVGPathElement) => {
      const point = path.getPointAtLength(path.getTotalLength() / 2);
      const matrix = path.getScreenCTM()!;
      return { x: point.x * matrix.a + point.y * matrix.c + matrix.e, y: point.x * matrix.b + point.y * matrix.d + matrix.f };
    });
}

const strokeOf = (edge: Locator) =>
  edge
    .locator('path')
    .last()
    .evaluate((path) => getComputedStyle(path).stroke);

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
    const map = page.getByRole('img', { name: 'Dependency map' });
    const nodes = map.getByRole('list', { name: 'Services and dependencies' }).getByRole('listitem');
    await expect(nodes).toHaveCount(4);
    await expect(page.getByLabel('Map size')).toContainText('2 services · 2 dependencies · 3 breakers');
    // payments-api is one node with two breakers guarding it.
    await expect(nodes.filter({ hasText: /^payments-api/ })).toHaveCount(1);

    const edge = map.getByRole('link', { name: /^checkout → payments-api: / });
    const refunds = map.getByRole('link', { name: /^orders → payments-api:refunds: / });
    await expect(edge).toHaveAccessibleName('checkout → payments-api: Closed, 1/1 live');
    await expect(refunds).toHaveAttribute('data-status', /closed|idle/);
    const closedStroke = await strokeOf(edge);

    // The dependency fails: the edge turns open within 2 s of the breaker opening, without a reload; the other edge does not.
    checkout.setMode('failing');
    await checkout.waitForState('OPEN');
    await expect(edge).toHaveAttribute('data-status', 'open', { timeout: 2_000 });
    await expect(edge).toHaveAccessibleName('checkout → payments-api: Open, 1/1 open');
    const openStroke = await strokeOf(edge);
    expect(openStroke).not.toBe(closedStroke);
    expect(openStroke).toBe(
      await page.evaluate(() => {
        const probe = document.createElement('span');
        probe.style.color = 'var(--state-open)';
        document.body.append(probe);
        const colour = getComputedStyle(probe).color;
        probe.remove();
        return colour;
      }),
    );
    await expect(refunds).toHaveAttribute('data-status', /closed|idle/);
    await expect(nodes.filter({ hasText: /^payments-api/ })).toHaveAccessibleName('payments-api: 1 of 2 breakers open');

    // A click on the line opens that breaker.
    const { x, y } = await middleOf(edge);
    await page.mouse.click(x, y);
    await expect(page).toHaveURL(/\/breakers\/[^/]+$/);
    await expect(page.getByRole('heading', { name: 'checkout → payments-api' })).toBeVisible();
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
});
