import { test as base, type Page } from '@playwright/test';
import { TEST_ADMIN, TEST_ADMIN_ENV } from '../fixtures/signed-in';
import { createEmptyDatabase } from '../fixtures/test-database';
import { startServerProcess, type ServerProcess } from './server-process';

export { TEST_ADMIN };

/** Signs the page's browser context in through the API; the cookie is shared with the page. */
export async function signInPage(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  const response = await page.request.post(`${baseUrl}/api/v1/auth/sign-in`, { data: { email, password } });
  if (!response.ok()) throw new Error(`sign-in as ${email} failed: ${response.status()}`);
}

/**
 * Every test gets its own server process on a free port, with its own fresh
 * database and TEST_ADMIN as its first admin (override with `panelEnv`);
 * `adminPage` is a page already signed in as that admin.
 */
export const test = base.extend<{ panelEnv: Record<string, string>; panel: ServerProcess; adminPage: Page }>({
  panelEnv: [TEST_ADMIN_ENV, { option: true }],
  // Starting a server process (Node, Next, migrations) takes its own budget, not the test's: on a busy machine it
  // took most of a 60 s test, which then ran out of time while the browser was doing what it was told.
  panel: [
    async ({ panelEnv }, use) => {
      const adminUrl = process.env.E2E_POSTGRES_ADMIN_URL;
      if (!adminUrl) throw new Error('E2E_POSTGRES_ADMIN_URL is not set: run through playwright.config.ts');
      const database = await createEmptyDatabase(adminUrl);
      const panel = await startServerProcess({ DATABASE_URL: database.url, ...panelEnv });
      await use(panel);
      const code = await panel.stop();
      await database.drop();
      // A server that cannot stop cleanly in its shutdown time exits with 1: a defect the test owns (the output is printed).
      if (code !== 0) throw new Error(`the server exited with code ${code} when stopped`);
    },
    { timeout: 120_000 },
  ],
  adminPage: async ({ page, panel }, use) => {
    await signInPage(page, panel.url, TEST_ADMIN.email, TEST_ADMIN.password);
    await use(page);
  },
});

export { expect } from '@playwright/test';

/** Creates a reporter API key for `service` as the signed-in admin of `page` (through the admin API, with the CSRF token). */
export async function createReporterKey(page: Page, baseUrl: string, service: string): Promise<string> {
  const session = (await (await page.request.get(`${baseUrl}/api/v1/auth/session`)).json()) as { csrfToken: string };
  const response = await page.request.post(`${baseUrl}/api/v1/api-keys`, { data: { service }, headers: { 'x-csrf-token': session.csrfToken, origin: baseUrl } });
  if (!response.ok()) throw new Error(`creating a key for ${service} failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}

/** Invites a user through Admin → Users as the signed-in admin of `page`, and returns the temporary password shown once. */
export async function inviteUser(page: Page, baseUrl: string, email: string, role: 'viewer' | 'operator' | 'admin'): Promise<string> {
  await page.goto(`${baseUrl}/admin`);
  const invite = page.getByRole('form', { name: 'Invite a user' });
  await invite.getByLabel('E-mail').fill(email);
  await invite.getByLabel('Role').selectOption(role);
  await invite.getByRole('button', { name: 'Invite' }).click();
  return (await page
    .getByRole('region', { name: `Temporary password for ${email}` })
    .locator('code')
    .textContent())!.trim();
}
