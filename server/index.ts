import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { applyV8MemoryFlags } from './v8-memory-flags';
import { startPanelServer } from './panel-server';
import { printFirstAdmin } from './auth/print-first-admin';
import { createNextWebApp } from './web/next-web-app';
import { printStartBanner } from './start-banner';
import { provisionDemoKeys } from './demo/demo-keys';
import { startDemoFleet, type DemoFleet } from './demo/run-fleet';

// One level below the root both as server/index.ts and compiled as .build/index.mjs (scripts/build-server.ts).
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// No network here, and none needed: Next's telemetry stays off unless asked for.
if (!process.env.NEXT_TELEMETRY_DISABLED) Object.assign(process.env, { NEXT_TELEMETRY_DISABLED: '1' });

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, rootDir);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`breaker-panel: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  applyV8MemoryFlags();
  const panel = await startPanelServer({
    config,
    logger,
    createWebApp: ({ port, host }) => createNextWebApp({ rootDir, dev: config.dev, port, host }),
    // Nothing more can be stored; exiting lets a supervisor (or the person at the terminal) start a fresh panel, which takes the data folder over.
    onDatabaseLost: () => process.exit(1),
  });
  logger.info({ url: panel.url, database: panel.database.embedded ? 'embedded' : 'DATABASE_URL', migrations: panel.database.migrations }, 'Breaker Panel is running');
  if (panel.access.firstAdmin) printFirstAdmin(panel.access.firstAdmin, panel.url);
  let demo: DemoFleet | null = null;
  if (config.demo) {
    const keys = await provisionDemoKeys(panel.prisma, panel.access.keys);
    demo = startDemoFleet({ url: panel.url, keys, rootDir, onExit: (instance, code) => code !== 0 && logger.warn({ instance, code }, 'a demo instance stopped') });
  }
  const admin = await panel.prisma.user.findFirst({ where: { role: 'admin', disabledAt: null }, orderBy: { createdAt: 'asc' }, select: { email: true } });
  printStartBanner({
    url: panel.url,
    adminEmail: admin?.email ?? null,
    passwordShownAbove: Boolean(panel.access.firstAdmin?.generatedPassword),
    demoProcesses: demo ? demo.processes : null,
    dataDir: panel.database.embedded ? config.embeddedPostgres.dataDir : null,
  });

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    Promise.resolve(demo?.stop())
      .then(() => panel.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`breaker-panel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
