import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authorizationOf, createCredentialBox } from '../../../server/sources/credential-box';
import { credentialKeyFileOf, ensureCredentialKey, parseCredentialKey } from '../../../server/sources/credential-key';

describe('source credentials at rest', () => {
  const key = Buffer.alloc(32, 7);

  it('seals and opens, bound to the source id, and never holds the secret in clear', () => {
    const box = createCredentialBox(key);
    const sealed = box.seal('source-a', { type: 'basic', username: 'ops', password: 's3cret-pa55' })!;
    expect(sealed).not.toContain('s3cret');
    expect(box.open('source-a', sealed)).toEqual({ type: 'basic', username: 'ops', password: 's3cret-pa55' });
    expect(() => box.open('source-b', sealed)).toThrow();
    expect(() => createCredentialBox(Buffer.alloc(32, 8)).open('source-a', sealed)).toThrow();
    const [version, iv, tag, body] = sealed.split('.');
    const altered = [version, iv, tag, `${body!.slice(0, -2)}AA`].join('.');
    expect(() => box.open('source-a', altered)).toThrow();
    expect(box.seal('source-a', { type: 'none' })).toBeNull();
    expect(box.open('source-a', null)).toEqual({ type: 'none' });
  });

  it('builds the Authorization header', () => {
    expect(authorizationOf({ type: 'basic', username: 'a', password: 'b' })).toBe(`Basic ${Buffer.from('a:b').toString('base64')}`);
    expect(authorizationOf({ type: 'bearer', token: 't' })).toBe('Bearer t');
    expect(authorizationOf({ type: 'none' })).toBeNull();
  });

  it('makes the key file 0600 beside the data folder once, and refuses one others may read', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sources-key-'));
    const file = credentialKeyFileOf(path.join(dir, '.data'));
    expect(file).toBe(path.join(dir, '.data.sources-key'));
    const [first, second] = await Promise.all([ensureCredentialKey(file), ensureCredentialKey(file)]);
    expect(first.equals(second)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await ensureCredentialKey(file)).equals(first)).toBe(true);
    const open = path.join(dir, 'open.key');
    await writeFile(open, Buffer.alloc(32).toString('base64'), { mode: 0o644 });
    await expect(ensureCredentialKey(open)).rejects.toThrow(/0600/);
  });

  it('accepts a key in hex or base64, and nothing else', () => {
    expect(parseCredentialKey('ab'.repeat(32))!.length).toBe(32);
    expect(parseCredentialKey(Buffer.alloc(32, 1).toString('base64'))!.length).toBe(32);
    expect(parseCredentialKey('short')).toBeNull();
  });
});
