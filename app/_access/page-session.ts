import { headers } from 'next/headers';
import { PAGE_SESSION_HEADER, ZCurrentSession, type TCurrentSession } from '../../lib/auth/session';

/**
 * The session the server verified for this page request, or null (sign-in
 * page). Reading request headers also makes every page render per request,
 * which the CSP nonce needs anyway.
 */
export async function readPageSession(): Promise<TCurrentSession | null> {
  const raw = (await headers()).get(PAGE_SESSION_HEADER);
  if (!raw) return null;
  try {
    const parsed = ZCurrentSession.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
