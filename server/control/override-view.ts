import { ZActionScope, type TOverrideView } from '../../lib/control/operator-action.js';
import type { Prisma as PrismaTypes } from '../store/generated/prisma/client';

export interface OverrideRow {
  id: string;
  breakerId: string;
  desiredState: string;
  scope: unknown;
  reason: string;
  createdAt: Date;
  expiresAt: Date | null;
  createdBy: { email: string } | null;
  commands: Array<{ id: string }>;
}

/** The override as screens show it; null for a row that is not a readable override. */
export function toOverrideView(row: OverrideRow): TOverrideView | null {
  const scope = ZActionScope.safeParse(row.scope);
  const commandId = row.commands[0]?.id;
  if (!scope.success || !commandId || (row.desiredState !== 'FORCED_OPEN' && row.desiredState !== 'FORCED_CLOSED')) return null;
  return {
    id: row.id,
    breakerId: row.breakerId,
    state: row.desiredState,
    scope: scope.data,
    reason: row.reason,
    by: row.createdBy?.email ?? null,
    createdAt: row.createdAt.getTime(),
    expiresAt: row.expiresAt?.getTime() ?? null,
    commandId,
  };
}

/** What to select for `toOverrideView`: the override and the command that set it. */
export const OVERRIDE_SELECT = {
  id: true,
  breakerId: true,
  desiredState: true,
  scope: true,
  reason: true,
  createdAt: true,
  expiresAt: true,
  createdBy: { select: { email: true } },
  commands: { where: { action: { in: ['trip', 'force_closed'] } }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: 1 },
} satisfies PrismaTypes.OverrideSelect;
