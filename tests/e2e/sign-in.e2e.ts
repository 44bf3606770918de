import { expect, test, TEST_ADMIN } from './fixtures';

test.describe('a fresh start', () => {
  // No ADMIN_EMAIL / ADMIN_PASSWORD: the server must make up a password and print it.
  test.use({ panelEnv: { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' } });

  test('prints the admin password once; signing in with it in Chromium reaches the live dashboard', async ({ page, panel }) => {
    const shown = /e-mail\s+(\S+)\n\s+password\s+(\S+)/;
    // Printed once the server is fully up, which may be just after it first answers health checks.
    await expect.poll(() => panel.output(), { timeout: 30_000 }).toMatch(shown);
    const printed = shown.exec(panel.output());
    const [, email, password] = printed!;
    expect(panel.output().split(password!).length).toBe(2);

    await page.goto(`${panel.url}/`);
    await expect(page).toHaveURL(/\/sign-in\?next=%2F$/);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('E-mail').fill(email!);
    await form.getByLabel('Password').fill('not the password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(form.getByRole('alert')).toHaveText('Wrong e-mail or password');

    await form.getByLabel('Password').fill(password!);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${panel.url}/`);
    await expect(page.getByRole('heading', { name: 'Breaker Panel' })).toBeVisible();
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('live');
    await expect(page.getByRole('navigation', { name: 'Account' })).toContainText(email!);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto(`${panel.url}/admin`);
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin$/);
  });
});

test('pages carry a nonce CSP without unsafe-eval and cannot be framed', async ({ adminPage: page, panel }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const response = await page.goto(`${panel.url}/`);
  const policy = response!.headers()['content-security-policy']!;
  expect(policy).toMatch(/'nonce-[^']+'/);
  expect(policy).not.toContain('unsafe-eval');
  expect(policy).toContain("frame-ancestors 'none'");
  expect(response!.headers()['x-content-type-options']).toBe('nosniff');
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('live');
  expect(errors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
});

test('signing in with a hostile next lands on the overview, and a newline in next is no error', async ({ page, panel }) => {
  for (const next of ['%2F%09%2Fevil.example', '%2F%0A%2Fevil.example', '%2F%5Cevil.example', '%2F.%2F%2Fevil.example']) {
    const shown = await page.goto(`${panel.url}/sign-in?next=${next}`);
    expect(shown!.status()).toBe(200);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('E-mail').fill(TEST_ADMIN.email);
    await form.getByLabel('Password').fill(TEST_ADMIN.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${panel.url}/`);
    await expect(page.getByRole('heading', { name: 'Breaker Panel' })).toBeVisible();
    // Signed in now: the server answers the same link with its own redirect.
    const again = await page.goto(`${panel.url}/sign-in?next=${next}`);
    expect(again!.status()).toBe(200);
    expect(page.url()).toBe(`${panel.url}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
  }
});
