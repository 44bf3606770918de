import { expect, inviteUser, signInPage, test } from './fixtures';

const PAGES = [
  { link: 'Overview', path: /\/$/, heading: 'Breaker Panel' },
  { link: 'Map', path: /\/map$/, heading: 'Dependency map' },
  { link: 'History', path: /\/history(\?.*)?$/, heading: 'Breaker Panel · History' },
  { link: 'Audit', path: /\/audit$/, heading: 'Audit trail' },
  { link: 'Notifications', path: /\/admin\/notifications$/, heading: 'Notifications' },
  { link: 'Admin', path: /\/admin$/, heading: 'Admin' },
];

test('one bar reaches every page and marks the current one; a viewer gets every page but Admin', async ({ adminPage: page, panel, browser }) => {
  await page.goto(panel.url);
  const bar = page.getByRole('navigation', { name: 'Pages' });
  await expect(bar.getByRole('link')).toHaveText(PAGES.map((entry) => entry.link));
  for (const entry of PAGES) {
    await bar.getByRole('link', { name: entry.link, exact: true }).click();
    await expect(page).toHaveURL(entry.path);
    await expect(page.getByRole('heading', { level: 1, name: entry.heading, exact: true })).toBeVisible();
    await expect(bar.getByRole('link', { name: entry.link, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(bar.locator('[aria-current="page"]')).toHaveCount(1);
  }

  const password = await inviteUser(page, panel.url, 'viewer@example.test', 'viewer');
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signInPage(viewer, panel.url, 'viewer@example.test', password);
  await viewer.goto(`${panel.url}/history`);
  await expect(viewer.getByRole('navigation', { name: 'Pages' }).getByRole('link')).toHaveText(PAGES.filter((entry) => entry.link !== 'Admin').map((entry) => entry.link));
  await viewer.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Audit' }).click();
  await expect(viewer.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
  await viewerContext.close();
});
