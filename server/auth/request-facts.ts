import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'bp_session';

/** The value of one cookie, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** The forwarded headers are believed only behind a proxy we were told to trust: anyone can send them. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded.trim()) return forwarded.split(',')[0]!.trim();
  return req.socket.remoteAddress ?? 'unknown';
}

export function cameOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ('encrypted' in req.socket && req.socket.encrypted) return true;
  const proto = req.headers['x-forwarded-proto'];
  return trustProxy && typeof proto === 'string' && proto.split(',')[0]!.trim() === 'https';
}

/** The origin the browser used to reach us, as it would appear in an Origin header. */
export function ownOrigin(req: IncomingMessage, trustProxy: boolean): string | null {
  const host = (trustProxy && typeof req.headers['x-forwarded-host'] === 'string' ? req.headers['x-forwarded-host'] : req.headers.host)?.split(',')[0]?.trim();
  if (!host) return null;
  return `${cameOverHttps(req, trustProxy) ? 'https' : 'http'}://${host}`;
}
