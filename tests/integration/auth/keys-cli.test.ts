import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPrograms, SERVER_BUILD_DIR } from '../../../scripts/build-server';
import { createLogger } from '../../../server/logger';
import { startEmbeddedPostgres } from '../../../server/store/embedded-postgres';
import { connectAgent } from '../../fixtures/agent-client';
import { ROOT_DIR } from '../../fixtures/panel';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';

// scripts/keys.ts compiled once, as `npm start` compiles the server: each of the file's seven commands is then a
// plain Node process. Under the TypeScript loader each one spent about twice the CPU on loading modules, which on
// a busy machine came to most of the test's time.
const KEYS_PROGRAM = path.join(ROOT_DIR, SERVER_BUILD_DIR, 'keys.mjs');
beforeAll(() => buildPrograms(ROOT_DIR, { keys: 'scripts/keys.ts' }));

/** `npm run keys -- …` as a user runs it: a process of its own. */
function keys(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DATABASE_URL' && name !== 'PG_DATA_DIR'));
    const child = spawn(process.execPath, [KEYS_PROGRAM, ...args], { cwd: ROOT_DIR, env: { ...clean, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run keys', () => {
  const setup = usePanelOnFreshDatabase();

  it('creates a key printed once, lists it with its last use, and revokes it on the running server at once', async () => {
    const env = { DATABASE_URL: setup.database.url };
    // An unknown command depends on nothing else here: it runs beside the first one rather than after the last.
    const [created, unknown] = await Promise.all([keys(['create', 'checkout', 'made', 'by', 'cli'], env), keys(['frobnicate'], env)]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage:');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^bp_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/Created key [0-9a-f-]{36} for service "checkout"/);

    const agent = await connectAgent(setup.panel.url, key);
    const listed = await keys(['list'], env);
    expect(listed.code).toBe(0);
    const row = listed.stdout.split('\n').find((line) => line.includes('checkout'))!;
    const [id, service, prefix, , lastUsed, revokedAt, description] = row.split('\t');
    expect({ service, prefix, revokedAt, description }).toEqual({ service: 'checkout', prefix: key.slice(0, 11), revokedAt: '-', description: 'made by cli' });
    expect(lastUsed).not.toBe('-');
    expect(listed.stdout).not.toContain(key);

    const closed = new Promise<void>((resolve) => agent.once('disconnect', () => resolve()));
    const revoked = await keys(['revoke', id!], env);
    expect(revoked.code).toBe(0);
    await closed;
    await expect(connectAgent(setup.panel.url, key)).rejects.toThrow(/unknown or revoked/);
    expect((await keys(['revoke', id!], env)).code).toBe(1);

    const audit = await setup.database.query<{ action: string; actor_email: string }>("SELECT action, actor_email FROM audit_events WHERE target_type = 'api_key' ORDER BY id");
    expect(audit).toEqual([
      { action: 'api_key.created', actor_email: `cli:${os.userInfo().username}` },
      { action: 'api_key.revoked', actor_email: `cli:${os.userInfo().username}` },
    ]);
  });

  it('works on the embedded Postgres whether or not a server runs it', async () => {
    const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-keys-'));
    await chmod(dataRoot, 0o755);
    const env = { PG_DATA_DIR: path.join(dataRoot, 'postgres') };
    try {
      // Nothing runs: the command starts the cluster, migrates, works and stops it.
      const created = await keys(['create', 'search'], env);
      expect(created.stderr).toContain('embedded Postgres started for this command');
      expect(created.code).toBe(0);

      // A server (here: the cluster alone) runs it: the command joins it through postmaster.pid.
      const cluster = await startEmbeddedPostgres({ dataDir: env.PG_DATA_DIR, port: 0, logger: createLogger('silent') });
      try {
        const listed = await keys(['list'], env);
        expect(listed.stderr).toContain('running embedded Postgres');
        expect(listed.stdout).toContain(created.stdout.trim().slice(0, 11));
      } finally {
        await cluster.stop();
      }
    } finally {
      await rm(dataRoot, { recursive: true, force: true });
    }
  }, 120_000);
});
