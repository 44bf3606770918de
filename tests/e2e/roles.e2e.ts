import { expect, inviteUser, signInPage, test } from './fixtures';

test('an admin invites a viewer, who sees the dashboard but no action or admin buttons', async ({ adminPage, panel, browser }) => {
  const password = await inviteUser(adminPage, panel.url, 'viewer@example.test', 'viewer');
  expect(password.length).toBeGreaterThanOrEqual(20);
  await expect(adminPage.getByRole('combobox', { name: 'Role of viewer@example.test' })).toHaveValue('viewer');

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signInPage(viewer, panel.url, 'viewer@example.test', password);
  await viewer.goto(`${panel.url}/`);
  await expect(viewer.getByRole('status', { name: 'Connection' })).toHaveText('live');
  await expect(viewer.getByRole('navigation', { name: 'Account' })).toContainText('viewer');
  await expect(viewer.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  // No trip, force-closed, reset or release, and no admin action: only signing out.
  await expect(viewer.getByRole('button', { name: /^(Trip|Force closed|Reset|Release|Invite|Create key|Revoke|Disable)\b/ })).toHaveCount(0);
  await expect(viewer.getByRole('group', { name: 'Operator actions' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await viewer.goto(`${panel.url}/admin`);
  await expect(viewer.getByText('Only admins manage users, API keys and sources.')).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Invite|Create key|Revoke|Disable/ })).toHaveCount(0);

  // Disabling the viewer sends their open page back to sign-in at once.
  await viewer.goto(`${panel.url}/`);
  await expect(viewer.getByRole('status', { name: 'Connection' })).toHaveText('live');
  await adminPage.getByRole('button', { name: 'Disable viewer@example.test' }).click();
  await expect(viewer).toHaveURL(/\/sign-in\?next=%2F$/);
  await viewerContext.close();
});

test('an admin creates an API key, sees it once, sees it listed and revokes it', async ({ adminPage, panel }) => {
  await adminPage.goto(`${panel.url}/admin`);
  const create = adminPage.getByRole('form', { name: 'Create an API key' });
  await create.getByLabel('Service').fill('checkout');
  await create.getByLabel('Description').fill('production');
  await create.getByRole('button', { name: 'Create key' }).click();
  const secret = adminPage.getByRole('region', { name: 'New API key for checkout' });
  const key = (await secret.locator('code').textContent())!.trim();
  expect(key).toMatch(/^bp_[A-Za-z0-9_-]{43}$/);
  const row = adminPage.getByRole('row', { name: /checkout/ });
  await expect(row).toContainText(key.slice(0, 11));
  await expect(row).toContainText('active');

  await secret.getByRole('button', { name: 'Done' }).click();
  await adminPage.reload();
  await expect(adminPage.getByText(key)).toHaveCount(0);
  await adminPage.getByRole('button', { name: `Revoke ${key.slice(0, 11)}` }).click();
  await expect(adminPage.getByRole('row', { name: /checkout/ })).toContainText('revoked');
});
