// Builds the package into dist/: one ESM file per entry point (shared code in
// dist/chunks/), and a .d.ts beside each entry that re-exports the declarations
// tsc writes to dist/types/. The sources import lib/protocol from outside sdk/,
// so a plain tsc build would publish paths like dist/sdk/src/index.js.
// Runs from the repository's postinstall, so it is plain Node and needs no tsx.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = path.join(sdkDir, 'dist');
const require = createRequire(import.meta.url);

/** Each public entry: its file in dist/, its source, and its declarations under dist/types/ (which mirror the sources from the repository root). */
const ENTRIES = [
  { name: 'index', source: 'src/index.ts', types: 'sdk/src/index' },
  { name: 'protocol', source: '../lib/protocol/index.ts', types: 'lib/protocol/index' },
  { name: 'opossum', source: 'src/adapters/opossum.ts', types: 'sdk/src/adapters/opossum' },
];

async function bundle() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: sdkDir,
    entryPoints: Object.fromEntries(ENTRIES.map((entry) => [entry.name, entry.source])),
    outdir: distDir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // socket.io-client and zod stay dependencies, resolved in the service's node_modules.
    packages: 'external',
    sourcemap: true,
    sourcesContent: true,
    logLevel: 'warning',
  });
}

/** tsc's declarations, or false when TypeScript is not installed (a production install without devDependencies). */
function declarations() {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc');
  } catch {
    return false;
  }
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(sdkDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc failed with status ${result.status}`);
  for (const entry of ENTRIES) {
    writeFileSync(path.join(distDir, `${entry.name}.d.ts`), `export * from './types/${entry.types}.js';\n`);
  }
  return true;
}

rmSync(distDir, { recursive: true, force: true });
mkdirSync(distDir, { recursive: true });
try {
  await bundle();
  if (!declarations()) process.stderr.write('@breaker-panel/sdk: TypeScript is not installed; built without type declarations\n');
} catch (error) {
  process.stderr.write(`@breaker-panel/sdk: build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
