import type { ServerResponse } from 'node:http';
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

/** A 429 with Retry-After and the wait in words; the limiter refused without checking the password. */
function tooManyAttempts(res: ServerResponse, what: string, seconds: number): HttpError {
  res.setHeader('retry-after', String(seconds));
  const wait = seconds < 60 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`;
  return new HttpError(429, 'too_many_attempts', `${what} Try again in ${wait}.`, { retryAfterSeconds: seconds });
}

/** Sign-in, sign-out, "who am I" and changing one's own password; `hold` holds attempts the limiter slows. */
export function addAuthRoutes(router: Router, deps: { config: AccessConfig; users: Users; sessions: Sessions; limiter: SignInLimiter; logger: Logger; hold: (ms: number) => Promise<void> }): void {
  const { config, users, sessions, limiter, logger, hold } = deps;

  router.add('POST', '/api/v1/auth/sign-in', async ({ req, res }) => {
    const { email, password } = await readValidBody(req, ZSignInRequest, BODY_LIMIT);
    const address = clientAddress(req, config.trustProxy);
    const admission = await limiter.admit(email, address);
    if (admission.kind === 'refused') {
      logger.warn({ email, address }, 'sign-in refused: too many failures');
      throw tooManyAttempts(res, 'Too many failed sign-ins.', admission.retryAfterSeconds);
    }
    if (admission.delayMs > 0) await hold(admission.delayMs);
    const user = await users.findForSignIn(email);
    // Always one scrypt, known user or not, so that timing does not tell which e-mails exist.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !matches || user.disabledAt) {
      logger.warn({ email, address }, 'sign-in failed');
      throw new HttpError(401, 'invalid_credentials', 'Wrong e-mail or password');
    }
    admission.succeeded();
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
    const admission = await limiter.admit(email, access.ipAddress);
    if (admission.kind === 'refused') throw tooManyAttempts(res, 'Too many wrong passwords.', admission.retryAfterSeconds);
    if (admission.delayMs > 0) await hold(admission.delayMs);
    const result = await users.changePassword(access.session.user.id, { currentPassword: input.currentPassword, newPassword: input.newPassword, keepSession: access.session.id }, actorOf(access));
    if (!result.ok) {
      logger.warn({ userId: access.session.user.id, reason: result.reason }, 'password change refused');
      throw result.reason === 'wrong_password' ? new HttpError(403, 'wrong_password', 'The current password is wrong') : new HttpError(404, 'not_found', 'No such user');
    }
    admission.succeeded();
    logger.info({ userId: access.session.user.id }, 'password changed; other sessions ended');
    sendJson(res, 200, { ok: true });
  });

  router.add('GET', '/api/v1/auth/session', async ({ req, res }) => {
    sendJson(res, 200, current(requireRole(req, 'viewer').session));
  });
}
