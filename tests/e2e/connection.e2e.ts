import { expect, test } from './fixtures';

test('the overview shows the product and a live indicator that follows the server', async ({ adminPage: page, panel }) => {
  await page.goto(panel.url);
  await expect(page.getByRole('heading', { name: 'Breaker Panel' })).toBeVisible();
  const indicator = page.getByRole('status', { name: 'Connection' });
  await expect(indicator).toHaveText('live');

  const exitCode = await panel.stop();
  expect(exitCode).toBe(0);
  await expect(indicator).toHaveText('reconnecting');

  await panel.start();
  await expect(indicator).toHaveText('live');
});
