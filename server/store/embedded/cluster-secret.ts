import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where a data folder's superuser password lives: beside the folder, so that it is never inside a copy of the cluster. */
export function secretFileOf(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.secret`);
}

/** The password of clusters made before each data folder had its own secret: every start replaces it with the secret. */
export const LEGACY_PASSWORD = 'breaker-panel-local';

/** Reads the data folder's secret, or null when it has none yet. */
export async function readClusterSecret(dataDir: string): Promise<string | null> {
  try {
    return (await readFile(secretFileOf(dataDir), 'utf8')).trim() || null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The data folder's secret, made on first use: 256 random bits in a file
 * that only this user may read (0600), written whole under a temporary name
 * and then renamed, so that a crash never leaves half a password behind.
 */
export async function ensureClusterSecret(dataDir: string): Promise<string> {
  const file = secretFileOf(dataDir);
  const existing = await readClusterSecret(dataDir);
  if (existing) {
    // A file another account can read is no secret: refuse rather than use it.
    const { mode } = await stat(file);
    if ((mode & 0o077) !== 0) throw new Error(`${file} may be read by other accounts (mode ${(mode & 0o777).toString(8)}); make it 0600`);
    return existing;
  }
  const secret = randomBytes(32).toString('base64url');
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${secret}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  return secret;
}
