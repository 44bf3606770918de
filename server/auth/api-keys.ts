import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { recordAudit, type AuditActor } from '../control/audit-log';
import type { Prisma } from '../store/prisma';
import { isUuid } from '../../lib/ids';

const KEY_PREFIX = 'bp_';
const PREFIX_LENGTH = 11;
// lastUsedAt is for humans ("used 3 minutes ago"): writing it on every report would put a write on the hot path.
const LAST_USED_RESOLUTION_MS = 60_000;
export const API_KEY_REVOKED_CHANNEL = 'api_key_revoked';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface ApiKeyListItem {
  id: string;
  prefix: string;
  serviceName: string;
  description: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type ApiKeys = ReturnType<typeof createApiKeys>;

/**
 * Reporter API keys: each is bound to one service, shown once at creation and
 * stored only as its sha256 (a high-entropy key needs no slow hash).
 */
export function createApiKeys({ prisma, now }: { prisma: Prisma; now: () => number }) {
  const lastUsedWritten = new Map<string, number>();

  return {
    /** Creates a key for a service (created if new), audited in the same transaction; the key is returned only here. */
    async create(serviceName: string, options: { createdById?: string; description?: string; actor?: AuditActor | null } = {}) {
      const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const prefix = key.slice(0, PREFIX_LENGTH);
      return prisma.$transaction(async (tx) => {
        const service = await tx.service.upsert({ where: { name: serviceName }, create: { name: serviceName }, update: {}, select: { id: true } });
        const createdById = options.createdById ?? (options.actor?.kind === 'user' ? options.actor.id : null);
        const row = await tx.apiKey.create({
          data: { serviceId: service.id, prefix, keyHash: hashApiKey(key), description: options.description ?? null, createdById, createdAt: new Date(now()) },
          select: { id: true, prefix: true },
        });
        await recordAudit(tx, { action: 'api_key.created', actor: options.actor ?? null, target: { type: 'api_key', id: row.id }, serviceId: service.id, details: { service: serviceName, prefix } });
        return { id: row.id, key, prefix: row.prefix, serviceId: service.id };
      });
    },

    async list(): Promise<ApiKeyListItem[]> {
      const rows = await prisma.apiKey.findMany({
        orderBy: { createdAt: 'desc' },
        select: { id: true, prefix: true, description: true, createdAt: true, lastUsedAt: true, revokedAt: true, service: { select: { name: true } } },
      });
      return rows.map(({ service, ...row }) => ({ ...row, serviceName: service.name }));
    },

    /** Revokes a key, audits it and tells every server process at once, all in one transaction. */
    async revoke(id: string, actor: AuditActor | null = null): Promise<boolean> {
      if (!isUuid(id)) return false;
      return prisma.$transaction(async (tx) => {
        const updated = await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(now()) } });
        if (updated.count === 0) return false;
        const row = await tx.apiKey.findUniqueOrThrow({ where: { id }, select: { prefix: true, serviceId: true, service: { select: { name: true } } } });
        await recordAudit(tx, { action: 'api_key.revoked', actor, target: { type: 'api_key', id }, serviceId: row.serviceId, details: { service: row.service.name, prefix: row.prefix } });
        await tx.$executeRawUnsafe('SELECT pg_notify($1, $2)', API_KEY_REVOKED_CHANNEL, id);
        return true;
      });
    },

    async verify(key: string): Promise<{ keyId: string; serviceId: string; serviceName: string; demo: boolean } | null> {
      if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
      const row = await prisma.apiKey.findUnique({
        where: { keyHash: hashApiKey(key) },
        select: { id: true, revokedAt: true, serviceId: true, service: { select: { name: true, isDemo: true } } },
      });
      if (!row || row.revokedAt) return null;
      const at = now();
      if (at - (lastUsedWritten.get(row.id) ?? 0) >= LAST_USED_RESOLUTION_MS) {
        lastUsedWritten.set(row.id, at);
        await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date(at) }, select: { id: true } });
      }
      return { keyId: row.id, serviceId: row.serviceId, serviceName: row.service.name, demo: row.service.isDemo };
    },
  };
}

/**
 * Listens on a connection of its own for revoked keys, from this process or
 * any other (the keys CLI, another server), reconnecting if it drops.
 */
export async function listenForRevokedKeys(databaseUrl: string, onRevoked: (keyId: string) => void): Promise<{ close(): Promise<void> }> {
  return listen(databaseUrl, API_KEY_REVOKED_CHANNEL, onRevoked);
}

/** LISTEN on one channel with a dedicated client that reconnects after an error; `applicationName` names its connection in pg_stat_activity. */
export async function listen(databaseUrl: string, channel: string, onMessage: (payload: string) => void, applicationName?: string): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;

  const retryLater = () => {
    if (closed) return;
    retry = setTimeout(() => void connect().catch(retryLater), 1_000);
    retry.unref();
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: applicationName });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload) onMessage(message.payload);
    });
    next.on('error', () => {
      if (closed) return;
      client = null;
      next.end().catch(() => undefined);
      retryLater();
    });
    await next.connect();
    await next.query(`LISTEN "${channel}"`);
    client = next;
  };

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
