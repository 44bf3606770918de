import type { THealth } from '../../lib/health';
import type { Prisma } from '../store/prisma';

const MIGRATIONS_APPLIED = 'SELECT count(*)::int AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

export async function checkHealth(prisma: Prisma, version: string): Promise<{ status: 200 | 503; body: THealth }> {
  try {
    const rows = await prisma.$queryRawUnsafe<Array<{ count: number }>>(MIGRATIONS_APPLIED);
    return { status: 200, body: { status: 'ok', database: 'ok', migrations: rows[0]?.count ?? 0, version } };
  } catch (error) {
    // The reason names the failure class only: connection strings and hosts stay in the log.
    const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : undefined;
    return { status: 503, body: { status: 'error', database: 'unreachable', reason: code ? `database error ${code}` : 'database did not answer', version } };
  }
}
