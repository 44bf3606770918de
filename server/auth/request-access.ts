import type { IncomingMessage } from 'node:http';
import { roleAllows, type TRole } from '../../lib/auth/roles.js';
import { HttpError } from '../http/http-error';
import type { AuditActor } from '../control/audit-log';
import type { ResolvedSession } from './sessions';

export interface RequestAccess {
  session: ResolvedSession;
  ipAddress: string;
  userAgent: string | null;
}

// Set by the access gate before any API route runs; a WeakMap so that nothing
// outlives its request and no route can forge it through a header.
const byRequest = new WeakMap<IncomingMessage, RequestAccess>();

export function attachAccess(req: IncomingMessage, access: RequestAccess): void {
  byRequest.set(req, access);
}

/** The signed-in session of a request, or null on the public routes. */
export function accessOf(req: IncomingMessage): RequestAccess | null {
  return byRequest.get(req) ?? null;
}

/**
 * For route handlers: the caller's access when their role allows `needed`,
 * else 401 (no session) or 403. Checked before anything is read or changed.
 */
export function requireRole(req: IncomingMessage, needed: TRole): RequestAccess {
  const access = accessOf(req);
  if (!access) throw new HttpError(401, 'unauthenticated', 'Sign in first');
  if (!roleAllows(access.session.user.role, needed)) throw new HttpError(403, 'forbidden', `This needs the ${needed} role; you are ${access.session.user.role}`);
  return access;
}

/** The audit actor for a request's user. */
export function actorOf(access: RequestAccess): AuditActor {
  const { user } = access.session;
  return { kind: 'user', id: user.id, email: user.email, ipAddress: access.ipAddress, userAgent: access.userAgent };
}
