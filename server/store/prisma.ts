import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

export type Prisma = PrismaClient;

export interface DatabaseClients {
  /** Typed queries for everything but the hot paths. */
  prisma: PrismaClient;
  /** The same connections, for batched multi-row statements on hot paths (bucket flushes, catalog upserts). */
  pool: pg.Pool;
  close(): Promise<void>;
}

/** One pool per process, shared by Prisma (through the pg driver adapter, no Rust engine) and the batch writers. */
export function createDatabaseClients(databaseUrl: string): DatabaseClients {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, connectionTimeoutMillis: 5_000 });
  // An idle connection that the server drops must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor one that is checked out (a job holding an advisory lock, a transaction) when the server goes away between two
  // queries: pg emits 'error' on the client then, and without a listener that ends the process. Its next query fails
  // instead, and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}
