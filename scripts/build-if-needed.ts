import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// What the browser bundle is built from; a change to any of it needs a new build.
const INPUTS = ['app', 'components', 'lib', 'public', 'instrumentation-client.ts', 'next.config.js', 'package-lock.json', 'tsconfig.json'];
const STAMP = path.join('.next', 'breaker-panel-build-stamp');

function* files(entry: string): Generator<string> {
  if (!existsSync(entry)) return;
  if (statSync(entry).isFile()) {
    yield entry;
    return;
  }
  for (const name of readdirSync(entry).sort()) yield* files(path.join(entry, name));
}

function fingerprint(rootDir: string): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(path.join(rootDir, input))) {
      hash.update(path.relative(rootDir, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

/** Runs `next build` unless the last build was made from exactly these sources. */
export function buildIfNeeded(rootDir: string): void {
  const stampFile = path.join(rootDir, STAMP);
  const current = fingerprint(rootDir);
  const built = existsSync(path.join(rootDir, '.next', 'BUILD_ID')) && existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  if (built === current) return;
  process.stdout.write('Building the web app (first start or sources changed)…\n');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: rootDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stampFile, current);
}
