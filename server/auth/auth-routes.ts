import { ZChangePassword, ZSignInRequest, type TCurrentSession } from '../../lib/auth/session.js';
import { HttpError } from '../http/http-error';
import { readValidBody } from '../http/read-json-body';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import type { Logger } from '../logger';
import type { AccessConfig } from './access-config';
import { decoyHash, verifyPassword } from './password';
import { actorOf, requireRole } from './request-access';
import { clientAddress } from './request-facts';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import type { ResolvedSession, Sessions } from './sessions';
import type { SignInLimiter } from './sign-in-limiter';
import type { Users } from './users';

const BODY_LIMIT = 4 * 1024;

const current = (session: ResolvedSession): TCurrentSession => ({ user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });

/** Sign-in, sign-out, "who am I" and changing one's own password. */
export function addAuthRoutes(router: Router, deps: { config: AccessConfig; users: Users; sessions: Sessions; limiter: SignInLimiter; logger: Logger }): void {
  const { config, users, sessions, limiter, logger } = deps;

  router.add('POST', '/api/v1/auth/sign-in', async ({ req, res }) => {
    const { email, password } = await readValidBody(req, ZSignInRequest, BODY_LIMIT);
    const address = clientAddress(req, config.trustProxy);
    const wait = limiter.retryAfterSeconds(email, address);
    if (wait > 0) {
      logger.warn({ email, address }, 'sign-in refused: too many failures');
      res.setHeader('retry-after', String(wait));
      throw new HttpError(429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`, { retryAfterSeconds: wait });
    }
    const user = await users.findForSignIn(email);
    // Always one scrypt, known user or not, so that timing does not tell which e-mails exist.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !matches || user.disabledAt) {
      limiter.recordFailure(email, address);
      logger.warn({ email, address }, 'sign-in failed');
      throw new HttpError(401, 'invalid_credentials', 'Wrong e-mail or password');
    }
    limiter.recordSuccess(email);
    const { token, session } = await sessions.create(user.id, { ipAddress: address, userAgent: req.headers['user-agent'] ?? null });
    await users.recordSignIn(user.id);
    logger.info({ userId: user.id, address }, 'signed in');
    setSessionCookie(req, res, config, token);
    sendJson(res, 200, current(session));
  });

  router.add('POST', '/api/v1/auth/sign-out', async ({ req, res }) => {
    const access = requireRole(req, 'viewer');
    await sessions.revoke(access.session.id);
    clearSessionCookie(req, res, config);
    sendJson(res, 200, { ok: true });
  });

  router.add('POST', '/api/v1/auth/password', async ({ req, res }) => {
    const access = requireRole(req, 'viewer');
    const input = await readValidBody(req, ZChangePassword, BODY_LIMIT);
    const { email } = access.session.user;
    // The current password is a password guess like any sign-in: the same limits apply.
    const wait = limiter.retryAfterSeconds(email, access.ipAddress);
    if (wait > 0) {
      res.setHeader('retry-after', String(wait));
      throw new HttpError(429, 'too_many_attempts', `Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`, { retryAfterSeconds: wait });
    }
    const result = await users.changePassword(access.session.user.id, { currentPassword: input.currentPassword, newPassword: input.newPassword, keepSession: access.session.id }, actorOf(access));
    if (!result.ok) {
      if (result.reason === 'wrong_password') limiter.recordFailure(email, access.ipAddress);
      logger.warn({ userId: access.session.user.id, reason: result.reason }, 'password change refused');
      throw result.reason === 'wrong_password' ? new HttpError(403, 'wrong_password', 'The current password is wrong') : new HttpError(404, 'not_found', 'No such user');
    }
    logger.info({ userId: access.session.user.id }, 'password changed; other sessions ended');
    sendJson(res, 200, { ok: true });
  });

  router.add('GET', '/api/v1/auth/session', async ({ req, res }) => {
    sendJson(res, 200, current(requireRole(req, 'viewer').session));
  });
}
