import { createHash, randomBytes } from 'node:crypto';
import type { TSessionUser } from '../../lib/auth/session.js';
import type { AuditTransaction } from '../control/audit-log';
import type { Prisma } from '../store/prisma';

/** The channel on which every server process hears that a session ended (revoked, or its user changed). */
export const SESSION_ENDED_CHANNEL = 'session_revoked';
// lastSeenAt only needs minute precision for idle expiry; writing it on every request would double the queries.
const TOUCH_RESOLUTION_MS = 60_000;

export interface SessionTimeouts {
  idleMs: number;
  maxAgeMs: number;
}

export interface ResolvedSession {
  id: string;
  user: TSessionUser;
  csrfToken: string;
  expiresAt: Date;
}

export type Sessions = ReturnType<typeof createSessions>;

/** The cookie holds a random token; the database holds only its sha256, so a leaked table does not leak sessions. */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Tells every server process to drop the sockets of these sessions, when the transaction commits. */
export async function announceSessionsEnded(tx: AuditTransaction | Prisma, ids: string[]): Promise<void> {
  for (const id of ids) await tx.$executeRawUnsafe('SELECT pg_notify($1, $2)', SESSION_ENDED_CHANNEL, id);
}

/** Server-side sessions in Postgres, with an idle and an absolute expiry. */
export function createSessions({ prisma, now, timeouts }: { prisma: Prisma; now: () => number; timeouts: SessionTimeouts }) {
  const isLive = (row: { revokedAt: Date | null; expiresAt: Date; lastSeenAt: Date; user: { disabledAt: Date | null } }, at: number) =>
    !row.revokedAt && !row.user.disabledAt && row.expiresAt.getTime() > at && row.lastSeenAt.getTime() + timeouts.idleMs > at;

  return {
    async create(userId: string, meta: { ipAddress: string | null; userAgent: string | null }): Promise<{ token: string; session: ResolvedSession }> {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const row = await prisma.session.create({
        data: {
          id: sessionIdOf(token),
          userId,
          csrfToken: randomBytes(32).toString('base64url'),
          createdAt: new Date(at),
          lastSeenAt: new Date(at),
          expiresAt: new Date(at + timeouts.maxAgeMs),
          ipAddress: meta.ipAddress,
          userAgent: meta.userAgent?.slice(0, 500) ?? null,
        },
        select: { id: true, csrfToken: true, expiresAt: true, user: { select: { id: true, email: true, name: true, role: true } } },
      });
      return { token, session: row };
    },

    /** The session behind a cookie token, or null when unknown, revoked, expired or idle too long, or its user is disabled. */
    async resolve(token: string): Promise<ResolvedSession | null> {
      if (token.length < 20 || token.length > 100) return null;
      const row = await prisma.session.findUnique({
        where: { id: sessionIdOf(token) },
        select: { id: true, csrfToken: true, expiresAt: true, lastSeenAt: true, revokedAt: true, user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } },
      });
      const at = now();
      if (!row || !isLive(row, at)) return null;
      if (at - row.lastSeenAt.getTime() >= TOUCH_RESOLUTION_MS) {
        await prisma.session.update({ where: { id: row.id }, data: { lastSeenAt: new Date(at) }, select: { id: true } });
      }
      const { disabledAt: _disabled, ...user } = row.user;
      return { id: row.id, csrfToken: row.csrfToken, expiresAt: row.expiresAt, user };
    },

    /** Of these session ids, the ones still live: the sockets of the others are closed. */
    async stillLive(ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await prisma.session.findMany({
        where: { id: { in: ids } },
        select: { id: true, expiresAt: true, lastSeenAt: true, revokedAt: true, user: { select: { disabledAt: true } } },
      });
      const at = now();
      return new Set(rows.filter((row) => isLive(row, at)).map((row) => row.id));
    },

    /** Ends one session (sign-out) and tells every process, in one transaction. */
    async revoke(id: string): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        const updated = await tx.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(now()) } });
        if (updated.count > 0) await announceSessionsEnded(tx, [id]);
        return updated.count > 0;
      });
    },

    /** Ends every live session of a user, but `keep` if given, inside the caller's transaction (a disabled user, a changed password). */
    async revokeAllOf(tx: AuditTransaction, userId: string, keep?: string): Promise<void> {
      const where = { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) };
      const live = await tx.session.findMany({ where, select: { id: true } });
      await tx.session.updateMany({ where, data: { revokedAt: new Date(now()) } });
      await announceSessionsEnded(
        tx,
        live.map((row) => row.id),
      );
    },
  };
}
