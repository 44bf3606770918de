import type { AuditActor } from '../control/audit-log';
import type { ApiKeys } from './api-keys';

const USAGE = `Usage:
  npm run keys -- create <service> [description]   create a reporter key (printed once)
  npm run keys -- list                             list keys with their last use
  npm run keys -- revoke <id>                      revoke a key at once, on every server`;

const day = (date: Date | null) => (date ? date.toISOString().replace('T', ' ').slice(0, 19) : '-');

/** The keys command, apart from how it reaches the database: returns the exit code. */
export async function runKeysCommand(args: string[], { keys, actor, out, err }: { keys: ApiKeys; actor: AuditActor; out: (line: string) => void; err: (line: string) => void }): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'create': {
      const [service, ...description] = rest;
      if (!service) break;
      const created = await keys.create(service, { description: description.join(' ') || undefined, actor });
      err(`Created key ${created.id} for service "${service}". Copy it now: it is not shown again.`);
      // The key alone on stdout, so that `npm run -s keys -- create x > key.txt` captures just the key.
      out(created.key);
      return 0;
    }
    case 'list': {
      const rows = await keys.list();
      out(['id', 'service', 'prefix', 'created', 'last used', 'revoked', 'description'].join('\t'));
      for (const row of rows) out([row.id, row.serviceName, row.prefix, day(row.createdAt), day(row.lastUsedAt), day(row.revokedAt), row.description ?? ''].join('\t'));
      return 0;
    }
    case 'revoke': {
      const [id] = rest;
      if (!id) break;
      if (await keys.revoke(id, actor)) {
        out(`Revoked key ${id}; reporters using it are disconnected.`);
        return 0;
      }
      err(`No active key with id ${id}.`);
      return 1;
    }
  }
  err(USAGE);
  return 2;
}
