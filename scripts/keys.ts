import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKeys } from '../server/auth/api-keys';
import { openCliDatabase } from '../server/auth/cli-database';
import { runKeysCommand } from '../server/auth/keys-command';
import { ConfigError, loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { createDatabaseClients } from '../server/store/prisma';

// `npm run keys -- create <service>` / `list` / `revoke <id>`: reporter API keys
// from the shell, with or without a running server.
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  const config = loadConfig(process.env, rootDir);
  // Quiet: stdout is for the key and the list only.
  const logger = createLogger('error');
  const database = await openCliDatabase(config, logger);
  const clients = createDatabaseClients(database.url);
  try {
    process.stderr.write(`(using ${database.via})\n`);
    return await runKeysCommand(process.argv.slice(2), {
      keys: createApiKeys({ prisma: clients.prisma, now: Date.now }),
      actor: { kind: 'cli', name: os.userInfo().username },
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    await clients.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`keys: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
