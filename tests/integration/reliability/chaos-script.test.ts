import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT_DIR = path.resolve(import.meta.dirname, '../../..');

// Scripts are run by the tests or they rot: a short chaos run goes through every phase once.
describe('npm run chaos', () => {
  it('kills the panel and its Postgres in turn and finds no transition or count missing or doubled, and no 500', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/chaos.ts', '--duration', '13', '--instances', '1'], { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).toMatch(/panel killed \(-9\)\s+[1-9]/);
    expect(output).toMatch(/Postgres killed \(-9\)\s+[1-9]/);
    expect(output).toContain('missing 0, stored twice 0');
    expect(output).not.toMatch(/\(-?[1-9]\d* not stored\)/);
    expect(output).toMatch(/5xx other than 503\s+0; 503 without Retry-After: 0/);
    expect(code).toBe(0);
  }, 240_000);
});
