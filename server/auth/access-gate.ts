import type { IncomingMessage, ServerResponse } from 'node:http';
import { safeNextPath } from '../../lib/auth/safe-next-path.js';
import { PAGE_SESSION_HEADER, type TCurrentSession } from '../../lib/auth/session.js';
import { HttpError, sendError } from '../http/http-error';
import type { AccessConfig } from './access-config';
import { carriesCsrfToken, comesFromOwnSite, isSafeMethod } from './csrf';
import { attachAccess } from './request-access';
import { clientAddress, readCookie, SESSION_COOKIE } from './request-facts';
import { setApiHeaders, setPageHeaders } from './security-headers';
import { clearSessionCookie } from './session-cookie';
import type { ResolvedSession, Sessions } from './sessions';

/** API routes open without a session: health for load balancers, sign-in, the reporters' endpoints (API keys), and the API's description, which holds no data. */
const PUBLIC_API = new Set(['GET /api/health', 'HEAD /api/health', 'POST /api/v1/auth/sign-in', 'POST /api/v1/reports', 'GET /api/v1/commands', 'GET /api/openapi.json', 'GET /api/docs']);
/** Pages and files open without a session: the sign-in page and the build's static assets. */
const isPublicPage = (path: string, dev: boolean) => path === '/sign-in' || path.startsWith('/_next/') || path === '/favicon.ico' || path === '/robots.txt' || (dev && path.startsWith('/__nextjs'));

export function toPageHeader(session: ResolvedSession): string {
  const current: TCurrentSession = { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  return Buffer.from(JSON.stringify(current)).toString('base64url');
}

export type AccessGate = (req: IncomingMessage, res: ServerResponse, url: URL, next: () => Promise<void>) => Promise<void>;

/**
 * Every HTTP request passes here first: security headers on every answer, a
 * session for everything but the public routes, and the CSRF token plus an
 * own-site check for every cookie-authenticated change.
 */
export function createAccessGate({ config, sessions, dev }: { config: AccessConfig; sessions: Sessions; dev: boolean }): AccessGate {
  const sessionOf = async (req: IncomingMessage) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    return { token, session: token ? await sessions.resolve(token) : null };
  };

  return async (req, res, url, next) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    delete req.headers[PAGE_SESSION_HEADER];

    if (path === '/api' || path.startsWith('/api/')) {
      setApiHeaders(res);
      if (PUBLIC_API.has(`${method} ${path.replace(/\/$/, '')}`)) {
        // Sign-in sets a cookie: a foreign page must not sign a visitor in as someone else.
        if (path.startsWith('/api/v1/auth/') && !comesFromOwnSite(req, config.trustProxy)) return sendError(res, new HttpError(403, 'cross_site', 'Cross-site requests are refused'));
        return next();
      }
      const { token, session } = await sessionOf(req);
      if (!session) {
        if (token) clearSessionCookie(req, res, config);
        return sendError(res, new HttpError(401, 'unauthenticated', 'Sign in first'));
      }
      if (!isSafeMethod(method) && !(comesFromOwnSite(req, config.trustProxy) && carriesCsrfToken(req, session.csrfToken))) {
        return sendError(res, new HttpError(403, 'csrf', 'This change did not come from the panel (missing or wrong CSRF token, or a cross-site request)'));
      }
      attachAccess(req, { session, ipAddress: clientAddress(req, config.trustProxy), userAgent: req.headers['user-agent'] ?? null });
      return next();
    }

    setPageHeaders(req, res, dev);
    // Pages change nothing: a post to one (a forged form, a server action) is refused unless it comes from our own pages.
    if (!isSafeMethod(method) && !comesFromOwnSite(req, config.trustProxy)) return sendError(res, new HttpError(403, 'cross_site', 'Cross-site requests are refused'));
    if (isPublicPage(path, dev)) {
      if (path === '/sign-in') {
        const { session } = await sessionOf(req);
        if (session) return redirect(res, safeNextPath(url.searchParams.get('next')));
      }
      return next();
    }
    const { token, session } = await sessionOf(req);
    if (!session) {
      if (token) clearSessionCookie(req, res, config);
      return redirect(res, `/sign-in?next=${encodeURIComponent(path + url.search)}`);
    }
    req.headers[PAGE_SESSION_HEADER] = toPageHeader(session);
    return next();
  };
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store' });
  res.end();
}
