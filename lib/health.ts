import { z } from 'zod';

/** `GET /api/health`: 200 when the database answers, 503 with the reason when not. */
export const ZHealth = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    database: z.literal('ok'),
    migrations: z.number().int().nonnegative(),
    version: z.string(),
  }),
  z.object({
    status: z.literal('error'),
    database: z.literal('unreachable'),
    reason: z.string(),
    version: z.string(),
  }),
]);

export type THealth = z.infer<typeof ZHealth>;
