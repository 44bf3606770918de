import path from 'node:path';
import { build } from 'esbuild';

/** Where the compiled server goes: one level below the project root, like server/, so paths relative to the root hold in both. */
export const SERVER_BUILD_DIR = '.build';

/**
 * Compiles the server to plain JavaScript (`.build/index.mjs`) so that `npm start` runs it without the
 * TypeScript loader, which costs a process about 70 MB and a loader thread.
 * Packages stay outside the bundle, loaded from node_modules as usual. Takes
 * well under a second, so it runs on every start. `extraEntries` adds other
 * programs built on the server (the ingest benchmark's panel process).
 */
export async function buildServer(rootDir: string, extraEntries: Record<string, string> = {}): Promise<void> {
  await buildPrograms(rootDir, { index: 'server/index.ts', ...extraEntries });
}

/** Compiles programs built on the server into `.build/<name>.mjs` the same way, without the server itself. */
export async function buildPrograms(rootDir: string, entries: Record<string, string>): Promise<void> {
  await build({
    absWorkingDir: rootDir,
    entryPoints: entries,
    outdir: path.join(rootDir, SERVER_BUILD_DIR),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
