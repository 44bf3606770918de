import { randomBytes } from 'node:crypto';
import { link, open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Where the sources' credential key lives by default: beside the data folder, never inside a copy of it. */
export function credentialKeyFileOf(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.sources-key`);
}

/** A key given in the environment: 32 bytes as 64 hex digits or as base64 (either alphabet). */
export function parseCredentialKey(text: string): Buffer | null {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : null;
}

/**
 * The key that seals source credentials, made on first use like the embedded
 * database's secret: 256 random bits in a file only this account may read
 * (0600), written whole under a temporary name and then linked into place,
 * so a crash never leaves half a key behind and two servers starting at once
 * end up with the same key (the second link fails and reads the first's).
 * A file others may read is refused.
 */
export async function ensureCredentialKey(file: string): Promise<Buffer> {
  try {
    const text = await readFile(file, 'utf8');
    const { mode } = await stat(file);
    if ((mode & 0o077) !== 0) throw new Error(`${file} may be read by other accounts (mode ${(mode & 0o777).toString(8)}); make it 0600`);
    const key = parseCredentialKey(text);
    if (!key) throw new Error(`${file} does not hold a 32-byte key (64 hex digits or base64)`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return ensureCredentialKey(file);
  } finally {
    await unlink(temporary);
  }
  return key;
}
