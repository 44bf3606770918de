import { z } from 'zod';

/** The notification variables; merged into server/config.ts's ZConfigEnv so one schema checks them all. */
export const ZNotifyEnv = z.object({
  NOTIFY_EVALUATE_INTERVAL_MS: z.coerce.number().int().min(10).default(5_000).describe('milliseconds between notification rule evaluations, 10 or more'),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5).describe('webhook attempts before a delivery is given up, 1 to 20'),
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).default(2_000).describe('the first webhook retry delay in milliseconds (doubling after), 10 or more'),
  NOTIFY_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(5 * 60_000)
    .describe('the longest webhook retry delay in milliseconds, 10 or more'),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000).describe('how long one webhook attempt may take in milliseconds, 100 or more'),
});

export interface NotifyConfig {
  evaluateIntervalMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
}

export function notifyConfigFrom(values: z.infer<typeof ZNotifyEnv>): NotifyConfig {
  return {
    evaluateIntervalMs: values.NOTIFY_EVALUATE_INTERVAL_MS,
    maxAttempts: values.NOTIFY_MAX_ATTEMPTS,
    retryBaseMs: values.NOTIFY_RETRY_BASE_MS,
    retryMaxMs: Math.max(values.NOTIFY_RETRY_MAX_MS, values.NOTIFY_RETRY_BASE_MS),
    timeoutMs: values.NOTIFY_TIMEOUT_MS,
  };
}
