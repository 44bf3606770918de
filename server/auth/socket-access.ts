import type { IncomingMessage } from 'node:http';
import type { Namespace, Socket } from 'socket.io';
import { roleAllows, type TRole } from '../../lib/auth/roles.js';
import type { TSessionUser } from '../../lib/auth/session.js';
import type { TAckError } from '../../lib/protocol/ack.js';
import type { AccessConfig } from './access-config';
import { comesFromOwnSite } from './csrf';
import { readCookie, SESSION_COOKIE } from './request-facts';
import type { Sessions } from './sessions';

/** Who is on a dashboard socket; the middleware sets it before `connection`, so handlers may rely on it. */
export interface SocketAccess {
  sessionId: string;
  user: TSessionUser;
}

/** The part of a socket's data that Access owns. */
export interface AccessSocketData {
  access: SocketAccess;
}

// Socket.IO's namespace and socket types with any event maps: the middleware reads only the handshake and data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNamespace = Namespace<any, any, any, AccessSocketData>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySocket = Socket<any, any, any, AccessSocketData>;

/**
 * Admits a dashboard socket only with a live session cookie, and only from our
 * own pages: a WebSocket is not bound by the same-origin policy, so another
 * site could otherwise open one with the visitor's cookie.
 */
export function requireSessionOnSockets(namespace: AnyNamespace, { sessions, config }: { sessions: Sessions; config: AccessConfig }): void {
  namespace.use((socket, next) => {
    const request = socket.request as IncomingMessage;
    if (!comesFromOwnSite(request, config.trustProxy)) return next(new Error('forbidden'));
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!token) return next(new Error('unauthorized'));
    sessions.resolve(token).then(
      (session) => {
        if (!session) return next(new Error('unauthorized'));
        socket.data.access = { sessionId: session.id, user: session.user };
        next();
      },
      () => next(new Error('unavailable')),
    );
  });
}

/** Closes every socket of these sessions; the browser then finds out whether it is still signed in. */
export function disconnectSessions(namespace: AnyNamespace, sessionIds: ReadonlySet<string>): number {
  let closed = 0;
  for (const socket of namespace.sockets.values()) {
    if (sessionIds.has(socket.data.access?.sessionId)) {
      socket.disconnect(true);
      closed += 1;
    }
  }
  return closed;
}

/**
 * For socket handlers that act: null when the socket's role allows `needed`,
 * else the acknowledgement error to answer with (the socket twin of a 403).
 */
export function socketRoleError(socket: AnySocket, needed: TRole): TAckError | null {
  const role = socket.data.access?.user.role;
  if (role && roleAllows(role, needed)) return null;
  return { code: 'forbidden', message: `This needs the ${needed} role; you are ${role ?? 'not signed in'}` };
}
