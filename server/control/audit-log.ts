import type { Prisma as PrismaNamespace } from '../store/generated/prisma/client';

/** A Prisma transaction: the audit row is written in the same one as the change it records. */
export type AuditTransaction = PrismaNamespace.TransactionClient;

/** Who did it: a signed-in user, or a command-line tool run on the server (no user). */
export type AuditActor = { kind: 'user'; id: string; email: string; ipAddress?: string | null; userAgent?: string | null } | { kind: 'cli'; name: string };

/** Every audited action; operator actions join this list with the control issue. */
export type AuditAction =
  | 'user.invited'
  | 'user.role_changed'
  | 'user.disabled'
  | 'user.password_changed'
  | 'user.password_reset'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'breaker.trip'
  | 'breaker.force_closed'
  | 'breaker.reset'
  | 'breaker.release'
  | 'notification.endpoint_created'
  | 'notification.endpoint_updated'
  | 'notification.endpoint_deleted'
  | 'notification.rule_created'
  | 'notification.rule_updated'
  | 'notification.rule_deleted'
  | 'notification.snoozed'
  | 'notification.snooze_ended'
  | 'source.created'
  | 'source.updated'
  | 'source.deleted';

export interface AuditEntry {
  action: AuditAction;
  actor: AuditActor | null;
  target: { type: 'user' | 'api_key' | 'breaker' | 'override' | 'command' | 'notification_endpoint' | 'notification_rule' | 'notification_snooze' | 'source'; id: string | null };
  serviceId?: string | null;
  breakerId?: string | null;
  commandId?: string | null;
  reason?: string | null;
  scope?: PrismaNamespace.InputJsonValue;
  /** Facts worth keeping beside the row (old and new role, key prefix); never a secret. */
  details?: Record<string, PrismaNamespace.InputJsonValue | null>;
}

/**
 * Appends one audit row inside the caller's transaction, so that the change
 * and its record commit or fail together (never best-effort). The table is
 * append-only in the database itself.
 */
export async function recordAudit(tx: AuditTransaction, entry: AuditEntry): Promise<void> {
  const actor = entry.actor;
  await tx.auditEvent.create({
    data: {
      action: entry.action,
      actorId: actor?.kind === 'user' ? actor.id : null,
      actorEmail: actor?.kind === 'user' ? actor.email : actor?.kind === 'cli' ? `cli:${actor.name}` : null,
      targetType: entry.target.type,
      targetId: entry.target.id,
      serviceId: entry.serviceId ?? null,
      breakerId: entry.breakerId ?? null,
      commandId: entry.commandId ?? null,
      reason: entry.reason ?? null,
      scope: entry.scope,
      ipAddress: actor?.kind === 'user' ? (actor.ipAddress ?? null) : null,
      userAgent: actor?.kind === 'user' ? (actor.userAgent ?? null) : null,
      details: entry.details ?? {},
    },
    select: { id: true },
  });
}
