import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessConfig } from './access-config';
import { cameOverHttps, SESSION_COOKIE } from './request-facts';

function secure(req: IncomingMessage, config: AccessConfig): boolean {
  if (config.cookieSecure === 'always') return true;
  if (config.cookieSecure === 'never') return false;
  return cameOverHttps(req, config.trustProxy);
}

/**
 * httpOnly keeps it from scripts; SameSite=Lax keeps it off cross-site posts
 * (the CSRF token and origin check are the second lock); Secure whenever the
 * browser reached us over https.
 */
export function setSessionCookie(req: IncomingMessage, res: ServerResponse, config: AccessConfig, token: string): void {
  // The cookie outlives no session: the browser drops it when the absolute expiry comes.
  const maxAge = Math.floor(config.session.maxAgeMs / 1000);
  const attributes = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(secure(req, config) ? ['Secure'] : [])];
  res.appendHeader('set-cookie', attributes.join('; '));
}

export function clearSessionCookie(req: IncomingMessage, res: ServerResponse, config: AccessConfig): void {
  const attributes = [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure(req, config) ? ['Secure'] : [])];
  res.appendHeader('set-cookie', attributes.join('; '));
}
