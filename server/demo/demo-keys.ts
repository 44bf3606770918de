import type { ApiKeys } from '../auth/api-keys';
import type { Prisma } from '../store/prisma';
import { DEMO_FLEET } from './fleet-plan';

const DESCRIPTION = 'demo fleet';
const ACTOR = { kind: 'cli', name: 'demo' } as const;

/**
 * Fresh API keys for the demo services (marked as demo, so the UI says so).
 * Keys are stored hashed and cannot be read back, so each start revokes the
 * previous run's demo keys and creates new ones; both are audited.
 */
export async function provisionDemoKeys(prisma: Prisma, keys: ApiKeys): Promise<Map<string, string>> {
  const names = DEMO_FLEET.map((service) => service.name);
  const old = await prisma.apiKey.findMany({ where: { description: DESCRIPTION, revokedAt: null, service: { name: { in: names } } }, select: { id: true } });
  for (const key of old) await keys.revoke(key.id, ACTOR);
  const created = new Map<string, string>();
  for (const name of names) {
    await prisma.service.upsert({ where: { name }, create: { name, isDemo: true }, update: { isDemo: true }, select: { id: true } });
    created.set(name, (await keys.create(name, { description: DESCRIPTION, actor: ACTOR })).key);
  }
  return created;
}
