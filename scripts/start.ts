// `npm start`: build the web app when its sources changed, then run the server in production mode.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.NEXT_TELEMETRY_DISABLED = '1';
// Next reads NODE_ENV itself; production unless told otherwise.
if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: 'production' });
try {
  buildIfNeeded(rootDir);
} catch (error) {
  process.stderr.write(`breaker-panel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import('../server/index');
