import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger';
import { startEmbeddedPostgres } from '../../../server/store/embedded-postgres';

const FIXED_PASSWORD = 'breaker-panel-local';

/** Connects as the superuser with a password; resolves with the SQLSTATE of a refusal, or 'ok'. */
async function tryPassword(adminUrl: string, password: string): Promise<string> {
  const url = new URL(adminUrl);
  url.password = encodeURIComponent(password);
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'failed';
  }
}

describe('the embedded Postgres superuser password', () => {
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'breaker-panel-secret-'));
    await chmod(root, 0o755);
    dataDir = path.join(root, 'postgres');
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is a random secret per data folder, in a file only its owner reads, and the fixed password is refused', async () => {
    const cluster = await startEmbeddedPostgres({ dataDir, port: 0, logger: createLogger('silent'), durable: false });
    try {
      const secretFile = `${dataDir}.secret`;
      expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
      const secret = (await readFile(secretFile, 'utf8')).trim();
      expect(secret).toMatch(/^[\w-]{43}$/);
      expect(await tryPassword(cluster.adminUrl, secret)).toBe('ok');
      // 28P01: invalid_password.
      expect(await tryPassword(cluster.adminUrl, FIXED_PASSWORD)).toBe('28P01');
      expect(await readFile(path.join(dataDir, 'pg_hba.conf'), 'utf8')).toMatch(/^host\s+all\s+all\s+127\.0\.0\.1\/32\s+scram-sha-256$/m);
    } finally {
      await cluster.stop();
    }
  }, 120_000);

  it('moves a data folder made with the fixed password to a secret of its own at the next start', async () => {
    // A folder as older versions left it: the fixed password, no secret file, cleartext `password` in pg_hba.conf.
    const old = await startEmbeddedPostgres({ dataDir, port: 0, logger: createLogger('silent'), durable: false });
    const admin = new pg.Client({ connectionString: old.adminUrl });
    await admin.connect();
    await admin.query(`ALTER USER postgres PASSWORD '${FIXED_PASSWORD}'`);
    await admin.end();
    await old.stop();
    await rm(`${dataDir}.secret`);
    await writeFile(path.join(dataDir, 'pg_hba.conf'), 'host all all 127.0.0.1/32 password\n');

    const cluster = await startEmbeddedPostgres({ dataDir, port: 0, logger: createLogger('silent'), durable: false });
    try {
      expect((await stat(`${dataDir}.secret`)).mode & 0o777).toBe(0o600);
      expect(await tryPassword(cluster.adminUrl, FIXED_PASSWORD)).toBe('28P01');
      expect(await tryPassword(cluster.adminUrl, decodeURIComponent(new URL(cluster.adminUrl).password))).toBe('ok');
      expect(await readFile(path.join(dataDir, 'pg_hba.conf'), 'utf8')).not.toMatch(/\spassword\s*$/m);
    } finally {
      await cluster.stop();
    }
  }, 120_000);
});
