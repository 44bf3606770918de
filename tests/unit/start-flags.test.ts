import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MALLOC_SETTINGS } from '../../server/malloc-settings';
import { NODE_START_FLAGS } from '../../server/v8-memory-flags';

// V8 and glibc read these only as a process starts: every way the product is started must pass them.
const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the V8 flags given at start', () => {
  it('are on the command line of npm start, before the server', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toContain(`node ${NODE_START_FLAGS.join(' ')} .build/index.mjs`);
  });

  it("are in the container's command, before the server", () => {
    const command = /^CMD (\[.*\])$/m.exec(read('deploy/Dockerfile'))?.[1];
    expect(JSON.parse(command ?? '[]')).toEqual(['node', ...NODE_START_FLAGS, '.build/index.mjs']);
  });
});

describe('the malloc settings', () => {
  const settings = Object.entries(MALLOC_SETTINGS);

  it('are set by npm start unless the environment sets them', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    for (const [name, value] of settings) expect(start).toContain(`${name}=\${${name}:-${value}}`);
  });

  it("are in the container's environment", () => {
    const dockerfile = read('deploy/Dockerfile');
    for (const [name, value] of settings) expect(dockerfile).toMatch(new RegExp(`^\\s+${name}=${value}\\b`, 'm'));
  });
});
