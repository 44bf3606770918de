import { expect, inviteUser, signInPage, test } from './fixtures';

test('an invited operator replaces the temporary password from the account page; an admin resets a forgotten one', async ({ adminPage, panel, browser }) => {
  const temporary = await inviteUser(adminPage, panel.url, 'operator@example.test', 'operator');

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInPage(page, panel.url, 'operator@example.test', temporary);
  await page.goto(`${panel.url}/`);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'operator@example.test' }).click();
  await expect(page).toHaveURL(/\/account$/);

  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password').fill('not the password');
  await form.getByLabel(/^New password \(/).fill('operator chosen password');
  await form.getByLabel('New password again').fill('operator chosen password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('alert')).toHaveText('The current password is wrong');

  await form.getByLabel('Current password').fill(temporary);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toContainText('Password changed');
  await context.close();

  const again = await browser.newContext();
  const fresh = await again.newPage();
  const refused = await fresh.request.post(`${panel.url}/api/v1/auth/sign-in`, { data: { email: 'operator@example.test', password: temporary }, headers: { origin: panel.url } });
  expect(refused.status()).toBe(401);
  await signInPage(fresh, panel.url, 'operator@example.test', 'operator chosen password');
  await fresh.goto(`${panel.url}/`);
  await expect(fresh.getByRole('status', { name: 'Connection' })).toHaveText('live');

  // Forgotten again: the admin resets it; the operator's open page goes back to sign-in, and the new temporary password works.
  await adminPage.goto(`${panel.url}/admin`);
  await adminPage.getByRole('button', { name: 'Reset the password of operator@example.test' }).click();
  const reset = (await adminPage.getByRole('region', { name: 'New temporary password for operator@example.test' }).locator('code').textContent())!.trim();
  await expect(fresh).toHaveURL(/\/sign-in\?next=%2F$/);
  const old = await fresh.request.post(`${panel.url}/api/v1/auth/sign-in`, { data: { email: 'operator@example.test', password: 'operator chosen password' }, headers: { origin: panel.url } });
  expect(old.status()).toBe(401);
  await signInPage(fresh, panel.url, 'operator@example.test', reset);
  await again.close();
});
