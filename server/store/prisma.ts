import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type Prisma = PrismaClient;

/** One client per process, through the pg driver adapter (no Rust engine). */
export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 20, connectionTimeoutMillis: 5_000 }) });
}
