import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CSRF_HEADER } from '../../lib/auth/session.js';
import { ownOrigin } from './request-facts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isSafeMethod = (method: string | undefined) => SAFE_METHODS.has((method ?? 'GET').toUpperCase());

/**
 * Whether a request may come from the page that sent it: a browser names the
 * site it comes from (Sec-Fetch-Site, Origin), and anything but our own site is
 * refused. Clients that are not browsers send neither, and are then held to the
 * CSRF token alone.
 */
export function comesFromOwnSite(req: IncomingMessage, trustProxy: boolean): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === ownOrigin(req, trustProxy);
}

/** The token a cookie-authenticated change must carry: the session's own, compared in constant time. */
export function carriesCsrfToken(req: IncomingMessage, expected: string): boolean {
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
