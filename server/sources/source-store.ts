import { randomUUID } from 'node:crypto';
import type { TCreateSource, TSourceCredentials, TSourceKind, TSourceView, TUpdateSource } from '../../lib/sources/source';
import { recordAudit, type AuditActor } from '../control/audit-log';
import type { Prisma } from '../store/prisma';
import type { CredentialBox } from './credential-box';
import { isUuid } from '../../lib/ids';

/** A source as the runtime needs it: its credentials opened. */
export interface SourceDefinition {
  id: string;
  kind: TSourceKind;
  name: string;
  service: string;
  targets: string[];
  pollIntervalMs: number;
  credentials: TSourceCredentials;
  enabled: boolean;
}

const ROW = {
  id: true,
  kind: true,
  name: true,
  serviceName: true,
  targets: true,
  pollIntervalMs: true,
  credentialsSealed: true,
  enabled: true,
  lastError: true,
  lastErrorAt: true,
  lastSuccessAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

interface Row {
  id: string;
  kind: TSourceKind;
  name: string;
  serviceName: string;
  targets: string[];
  pollIntervalMs: number;
  credentialsSealed: string | null;
  enabled: boolean;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type SourceStore = ReturnType<typeof createSourceStore>;

export class SourceNameTaken extends Error {
  override name = 'SourceNameTaken';
}

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';

/** What a credential-free view says about credentials: their type, never their content. */
function credentialsType(box: CredentialBox, row: Row): TSourceView['credentials'] {
  if (row.credentialsSealed === null) return 'none';
  try {
    return box.open(row.id, row.credentialsSealed).type;
  } catch {
    return 'none';
  }
}

/**
 * The sources table: every change is audited in the same transaction, and
 * credentials are sealed before they are written and opened only for the
 * runtime, never for the API.
 */
export function createSourceStore({ prisma, box, now }: { prisma: Prisma; box: CredentialBox; now: () => number }) {
  const view = (row: Row): TSourceView => ({
    id: row.id,
    kind: row.kind,
    name: row.name,
    service: row.serviceName,
    targets: row.targets,
    pollIntervalMs: row.pollIntervalMs,
    credentials: credentialsType(box, row),
    enabled: row.enabled,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });

  const auditDetails = (row: Row) => ({
    name: row.name,
    kind: row.kind,
    service: row.serviceName,
    targets: row.targets.length,
    pollIntervalMs: row.pollIntervalMs,
    enabled: row.enabled,
    credentials: row.credentialsSealed === null ? 'none' : 'set',
  });

  return {
    async list(): Promise<TSourceView[]> {
      const rows = await prisma.source.findMany({ orderBy: { name: 'asc' }, select: ROW });
      return rows.map(view);
    },

    async view(id: string): Promise<TSourceView | null> {
      if (!isUuid(id)) return null;
      const row = await prisma.source.findUnique({ where: { id }, select: ROW });
      return row ? view(row) : null;
    },

    /** Every source with its credentials opened, for the runtime; one whose credentials do not open is left out and named. */
    async definitions(): Promise<{ sources: SourceDefinition[]; unreadable: Array<{ id: string; error: string }> }> {
      const rows = await prisma.source.findMany({ select: ROW });
      const sources: SourceDefinition[] = [];
      const unreadable: Array<{ id: string; error: string }> = [];
      for (const row of rows) {
        try {
          sources.push({
            id: row.id,
            kind: row.kind,
            name: row.name,
            service: row.serviceName,
            targets: row.targets,
            pollIntervalMs: row.pollIntervalMs,
            credentials: box.open(row.id, row.credentialsSealed),
            enabled: row.enabled,
          });
        } catch {
          unreadable.push({ id: row.id, error: "its credentials cannot be opened with this server's key (SOURCE_CREDENTIALS_KEY or the key file changed); enter them again" });
        }
      }
      return { sources, unreadable };
    },

    async create(input: TCreateSource, actor: AuditActor): Promise<TSourceView> {
      const id = randomUUID();
      const at = new Date(now());
      try {
        return await prisma.$transaction(async (tx) => {
          const row = await tx.source.create({
            data: {
              id,
              kind: input.kind,
              name: input.name,
              serviceName: input.service,
              targets: input.targets,
              pollIntervalMs: input.pollIntervalMs,
              credentialsSealed: box.seal(id, input.credentials),
              enabled: input.enabled,
              createdAt: at,
              updatedAt: at,
            },
            select: ROW,
          });
          await recordAudit(tx, { action: 'source.created', actor, target: { type: 'source', id }, details: auditDetails(row) });
          return view(row);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new SourceNameTaken(input.name);
        throw error;
      }
    },

    async update(id: string, input: TUpdateSource, actor: AuditActor): Promise<TSourceView | null> {
      if (!isUuid(id)) return null;
      try {
        return await prisma.$transaction(async (tx) => {
          const existing = await tx.source.findUnique({ where: { id }, select: { id: true } });
          if (!existing) return null;
          const row = await tx.source.update({
            where: { id },
            data: {
              name: input.name,
              serviceName: input.service,
              targets: input.targets,
              pollIntervalMs: input.pollIntervalMs,
              enabled: input.enabled,
              ...(input.credentials ? { credentialsSealed: box.seal(id, input.credentials) } : {}),
              // A changed source starts with a clean status: the old error was about the old settings.
              lastError: null,
              lastErrorAt: null,
              updatedAt: new Date(now()),
            },
            select: ROW,
          });
          await recordAudit(tx, { action: 'source.updated', actor, target: { type: 'source', id }, details: { ...auditDetails(row), changed: Object.keys(input) } });
          return view(row);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new SourceNameTaken(input.name ?? '');
        throw error;
      }
    },

    async remove(id: string, actor: AuditActor): Promise<boolean> {
      if (!isUuid(id)) return false;
      return prisma.$transaction(async (tx) => {
        const row = await tx.source.findUnique({ where: { id }, select: ROW });
        if (!row) return false;
        await tx.source.delete({ where: { id }, select: { id: true } });
        await recordAudit(tx, { action: 'source.deleted', actor, target: { type: 'source', id }, details: auditDetails(row) });
        return true;
      });
    },

    /** The outcome of a round of reads: the error (null when every target answered), and whether any target answered. */
    async recordStatus(id: string, status: { error: string | null; answered: boolean; at: number }): Promise<void> {
      const at = new Date(status.at);
      await prisma.source.updateMany({
        where: { id },
        data: {
          ...(status.error === null ? { lastError: null, lastErrorAt: null } : { lastError: status.error.slice(0, 2_000), lastErrorAt: at }),
          ...(status.answered ? { lastSuccessAt: at } : {}),
        },
      });
    },
  };
}
