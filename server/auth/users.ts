import type { TRole } from '../../lib/auth/roles.js';
import type { TInviteUser, TUserListItem } from '../../lib/auth/users.js';
import { recordAudit, type AuditActor, type AuditTransaction } from '../control/audit-log';
import type { Prisma } from '../store/prisma';
import { generatePassword, hashPassword, verifyPassword } from './password';
import { announceSessionsEnded, type Sessions } from './sessions';

export type Users = ReturnType<typeof createUsers>;

/** Why a change was refused; the routes turn these into 404 / 409. */
export type UserChangeRefusal = 'not_found' | 'exists' | 'last_admin' | 'self';

const LIST_SELECT = { id: true, email: true, name: true, role: true, createdAt: true, lastSignInAt: true, disabledAt: true } as const;

function toListItem(row: { id: string; email: string; name: string | null; role: TRole; createdAt: Date; lastSignInAt: Date | null; disabledAt: Date | null }): TUserListItem {
  return { ...row, createdAt: row.createdAt.toISOString(), lastSignInAt: row.lastSignInAt?.toISOString() ?? null, disabledAt: row.disabledAt?.toISOString() ?? null };
}

/**
 * The people who may sign in. Every change is checked, written and audited in
 * one transaction; the last active admin can be neither demoted nor disabled,
 * so that the panel can never lock itself out.
 */
export function createUsers({ prisma, now, sessions }: { prisma: Prisma; now: () => number; sessions: Sessions }) {
  const otherActiveAdmins = (tx: AuditTransaction, id: string) => tx.user.count({ where: { role: 'admin', disabledAt: null, id: { not: id } } });

  return {
    findForSignIn: (email: string) => prisma.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, passwordHash: true, disabledAt: true } }),

    recordSignIn: (id: string) => prisma.user.update({ where: { id }, data: { lastSignInAt: new Date(now()) }, select: { id: true } }),

    count: () => prisma.user.count(),

    async list(): Promise<TUserListItem[]> {
      return (await prisma.user.findMany({ orderBy: { email: 'asc' }, select: LIST_SELECT })).map(toListItem);
    },

    /** Creates a user with a one-time password for the admin to hand over; null actor only for the first admin. */
    async invite(input: TInviteUser & { password?: string }, actor: AuditActor | null): Promise<{ ok: true; user: TUserListItem; password: string } | { ok: false; reason: UserChangeRefusal }> {
      const password = input.password ?? generatePassword();
      const passwordHash = await hashPassword(password);
      return prisma.$transaction(async (tx) => {
        if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) return { ok: false, reason: 'exists' } as const;
        const row = await tx.user.create({
          data: { email: input.email, name: input.name ?? null, role: input.role, passwordHash, createdAt: new Date(now()), updatedAt: new Date(now()) },
          select: LIST_SELECT,
        });
        await recordAudit(tx, { action: 'user.invited', actor, target: { type: 'user', id: row.id }, details: { email: row.email, role: row.role } });
        return { ok: true, user: toListItem(row), password } as const;
      });
    },

    async changeRole(id: string, role: TRole, actor: AuditActor | null): Promise<{ ok: true; user: TUserListItem } | { ok: false; reason: UserChangeRefusal }> {
      return prisma.$transaction(async (tx) => {
        const before = await tx.user.findUnique({ where: { id }, select: { role: true, disabledAt: true } });
        if (!before) return { ok: false, reason: 'not_found' } as const;
        if (before.role === 'admin' && role !== 'admin' && !before.disabledAt && (await otherActiveAdmins(tx, id)) === 0) return { ok: false, reason: 'last_admin' } as const;
        const row = await tx.user.update({ where: { id }, data: { role, updatedAt: new Date(now()) }, select: LIST_SELECT });
        await recordAudit(tx, { action: 'user.role_changed', actor, target: { type: 'user', id }, details: { email: row.email, from: before.role, to: role } });
        // Open sockets carry the old role: drop them so that they reconnect with the new one.
        const live = await tx.session.findMany({ where: { userId: id, revokedAt: null }, select: { id: true } });
        await announceSessionsEnded(
          tx,
          live.map((session) => session.id),
        );
        return { ok: true, user: toListItem(row) } as const;
      });
    },

    /**
     * A user's own password change: checks the current password, stores the
     * new hash and ends every other session of theirs (someone who knew the old
     * password may be signed in elsewhere). Audited without either password.
     */
    async changePassword(
      id: string,
      { currentPassword, newPassword, keepSession }: { currentPassword: string; newPassword: string; keepSession: string },
      actor: AuditActor,
    ): Promise<{ ok: true } | { ok: false; reason: 'wrong_password' | 'not_found' }> {
      const user = await prisma.user.findUnique({ where: { id }, select: { email: true, passwordHash: true, disabledAt: true } });
      if (!user || user.disabledAt) return { ok: false, reason: 'not_found' };
      if (!user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) return { ok: false, reason: 'wrong_password' };
      const passwordHash = await hashPassword(newPassword);
      await prisma.$transaction(async (tx) => {
        await tx.user.update({ where: { id }, data: { passwordHash, updatedAt: new Date(now()) }, select: { id: true } });
        await sessions.revokeAllOf(tx, id, keepSession);
        await recordAudit(tx, { action: 'user.password_changed', actor, target: { type: 'user', id }, details: { email: user.email } });
      });
      return { ok: true };
    },

    /** An admin's reset for a user who lost their password: a new temporary one to hand over, and every session of theirs ended. */
    async resetPassword(id: string, actor: AuditActor): Promise<{ ok: true; user: TUserListItem; password: string } | { ok: false; reason: UserChangeRefusal }> {
      // Your own password you change on your account page, which asks for the current one.
      if (actor.kind === 'user' && actor.id === id) return { ok: false, reason: 'self' };
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      return prisma.$transaction(async (tx) => {
        const before = await tx.user.findUnique({ where: { id }, select: { disabledAt: true } });
        if (!before || before.disabledAt) return { ok: false, reason: 'not_found' } as const;
        const row = await tx.user.update({ where: { id }, data: { passwordHash, updatedAt: new Date(now()) }, select: LIST_SELECT });
        await sessions.revokeAllOf(tx, id);
        await recordAudit(tx, { action: 'user.password_reset', actor, target: { type: 'user', id }, details: { email: row.email } });
        return { ok: true, user: toListItem(row), password } as const;
      });
    },

    /** Disables a user and ends all their sessions at once; they can no longer sign in. */
    async disable(id: string, actor: AuditActor | null): Promise<{ ok: true; user: TUserListItem } | { ok: false; reason: UserChangeRefusal }> {
      if (actor?.kind === 'user' && actor.id === id) return { ok: false, reason: 'self' };
      return prisma.$transaction(async (tx) => {
        const before = await tx.user.findUnique({ where: { id }, select: { role: true, disabledAt: true } });
        if (!before) return { ok: false, reason: 'not_found' } as const;
        if (before.role === 'admin' && !before.disabledAt && (await otherActiveAdmins(tx, id)) === 0) return { ok: false, reason: 'last_admin' } as const;
        const at = new Date(now());
        const row = await tx.user.update({ where: { id }, data: { disabledAt: before.disabledAt ?? at, updatedAt: at }, select: LIST_SELECT });
        await sessions.revokeAllOf(tx, id);
        await recordAudit(tx, { action: 'user.disabled', actor, target: { type: 'user', id }, details: { email: row.email } });
        return { ok: true, user: toListItem(row) } as const;
      });
    },
  };
}
