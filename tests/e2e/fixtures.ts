import { test as base } from '@playwright/test';
import { createEmptyDatabase } from '../fixtures/test-database';
import { startServerProcess, type ServerProcess } from './server-process';

/** Every test gets its own server process on a free port, with its own fresh database. */
export const test = base.extend<{ panel: ServerProcess }>({
  panel: async ({}, use) => {
    const adminUrl = process.env.E2E_POSTGRES_ADMIN_URL;
    if (!adminUrl) throw new Error('E2E_POSTGRES_ADMIN_URL is not set: run through playwright.config.ts');
    const database = await createEmptyDatabase(adminUrl);
    const panel = await startServerProcess({ DATABASE_URL: database.url });
    await use(panel);
    await panel.stop();
    await database.drop();
  },
});

export { expect } from '@playwright/test';
