// `npm run build` (and the first half of `npm start`): the web app's production build, skipped when nothing changed, and the compiled server.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed';
import { buildServer } from './build-server';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.NEXT_TELEMETRY_DISABLED = '1';
try {
  buildIfNeeded(rootDir);
  await buildServer(rootDir);
} catch (error) {
  process.stderr.write(`breaker-panel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
