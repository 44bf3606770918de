import { defineConfig } from 'prisma/config';

// Only `prisma generate` runs here (no schema engine download): the URL is a
// placeholder for tools that insist on one; the server connects on its own.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/breaker_panel' },
});
