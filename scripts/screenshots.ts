/**
 * `npm run screenshots`: starts a throwaway panel with real SDK service
 * processes (some of them failing), opens the overview and a breaker detail
 * and the dependency map in Chromium and saves PNGs to docs/screenshots/ for
 * the README.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createApiKeys } from '../server/auth/api-keys';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { startPanelServer } from '../server/panel-server';
import { freePort } from '../server/store/embedded-postgres';
import { createNextWebApp } from '../server/web/next-web-app';
import { startSdkService, type SdkServiceProcess } from '../tests/fixtures/sdk-service-process';
import { TEST_ADMIN, TEST_ADMIN_ENV } from '../tests/fixtures/signed-in';
import { buildIfNeeded } from './build-if-needed';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(rootDir, 'docs', 'screenshots');

const FLEET = [
  { service: 'checkout', breakers: ['payments-api', 'inventory-api', 'tax-api'], instances: 3, failing: ['payments-api'] },
  { service: 'search', breakers: ['index-api', 'suggest-api'], instances: 2, failing: [] },
  { service: 'shipping', breakers: ['carrier-api', 'rates-api'], instances: 2, failing: ['rates-api'] },
  // A second caller of payments-api and inventory-api: the map draws shared dependencies once.
  { service: 'orders', breakers: ['payments-api:refunds', 'inventory-api'], instances: 2, failing: ['payments-api:refunds'] },
];

async function main() {
  buildIfNeeded(rootDir);
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-shots-'));
  await chmod(dataRoot, 0o755);
  const port = await freePort();
  const config = loadConfig({ NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', PG_DATA_DIR: path.join(dataRoot, 'pg'), LOG_LEVEL: 'warn', ...TEST_ADMIN_ENV }, rootDir);
  const panel = await startPanelServer({ config, logger: createLogger('warn'), createWebApp: (listening) => createNextWebApp({ rootDir, dev: false, ...listening }) });
  const services: SdkServiceProcess[] = [];
  try {
    for (const group of FLEET) {
      const { key } = await createApiKeys({ prisma: panel.prisma, now: Date.now }).create(group.service);
      for (let index = 1; index <= group.instances; index += 1) {
        for (const breaker of group.breakers) {
          const service = await startSdkService({
            PANEL_URL: panel.url,
            PANEL_API_KEY: key,
            SERVICE: group.service,
            INSTANCE: `${group.service}-${index}-${breaker}`,
            BREAKER: breaker,
            ZONE: index % 2 ? 'eu-1' : 'eu-2',
            CALL_INTERVAL_MS: '50',
            OPEN_TIMEOUT_MS: '60000',
          });
          if (group.failing.includes(breaker) && index > 1) service.setMode('failing');
          services.push(service);
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    await mkdir(outDir, { recursive: true });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // Every page needs a session: sign in as the throwaway panel's first admin.
    await page.request.post(`${panel.url}/api/v1/auth/sign-in`, { data: { email: TEST_ADMIN.email, password: TEST_ADMIN.password }, headers: { origin: panel.url } });
    await page.goto(panel.url);
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'live' }).waitFor();
    await page.getByRole('link', { name: 'payments-api', exact: true }).waitFor();
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: path.join(outDir, 'overview.png') });
    await page.getByRole('link', { name: 'payments-api', exact: true }).click();
    await page.getByText('Calls per second by outcome').waitFor();
    await page.waitForTimeout(2_000);
    // Keep the pointer off the charts, or their tooltips cover the picture.
    await page.mouse.move(1, 1);
    await page.screenshot({ path: path.join(outDir, 'breaker-detail.png'), fullPage: true });
    await page.goto(`${panel.url}/map`);
    await page.getByRole('region', { name: 'Dependency map' }).waitFor();
    await page.waitForTimeout(1_000);
    await page.mouse.move(1, 1);
    await page.screenshot({ path: path.join(outDir, 'map.png') });
    await browser.close();
    console.log(`saved ${path.relative(rootDir, outDir)}/overview.png, breaker-detail.png and map.png`);
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    await panel.stop();
    await rm(dataRoot, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
