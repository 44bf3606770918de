import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ZSourceCredentials, type TSourceCredentials } from '../../lib/sources/source';

const VERSION = 'v1';
const IV_BYTES = 12;

export type CredentialBox = ReturnType<typeof createCredentialBox>;

/**
 * Seals source credentials with AES-256-GCM before they reach the database.
 * The source's id is the additional authenticated data, so a sealed value
 * copied onto another source's row does not open there.
 */
export function createCredentialBox(key: Buffer) {
  if (key.length !== 32) throw new Error('the credential key must be 32 bytes');
  return {
    seal(sourceId: string, credentials: TSourceCredentials): string | null {
      if (credentials.type === 'none') return null;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(sourceId, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },

    /** Throws when the value was sealed with another key, for another source, or altered. */
    open(sourceId: string, sealed: string | null): TSourceCredentials {
      if (sealed === null) return { type: 'none' };
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('sealed credentials are not in a known format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(sourceId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      return ZSourceCredentials.parse(JSON.parse(text));
    },
  };
}

/** The Authorization header for a request with these credentials, or null. */
export function authorizationOf(credentials: TSourceCredentials): string | null {
  if (credentials.type === 'basic') return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
  if (credentials.type === 'bearer') return `Bearer ${credentials.token}`;
  return null;
}
