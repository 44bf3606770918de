// `npm run build`: the production build of the web app, skipped when nothing changed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed';

buildIfNeeded(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
