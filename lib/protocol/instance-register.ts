import { z } from 'zod';
import { ZEpochMs, ZText } from './storable.js';
import { ZBreakerConfig } from './breaker-config.js';
import { ZInstanceRef, ZLabels, ZName } from './identity.js';

/** One breaker of an instance as declared at registration. */
export const ZBreakerDescriptor = z.object({
  name: ZName,
  config: ZBreakerConfig,
});

/** One breaker of an instance as declared at registration. */
export type TBreakerDescriptor = z.infer<typeof ZBreakerDescriptor>;

/**
 * `instance:register` — the first message on every (re)connection, and again
 * whenever the set of breakers changes. The server upserts the catalog and
 * then sends the instance every active override as a `command:apply`.
 */
export const ZInstanceRegister = ZInstanceRef.extend({
  /** When this process started (epoch ms). */
  startedAt: ZEpochMs.int(),
  labels: ZLabels,
  sdk: z.object({ name: ZText.max(100), version: ZText.max(50), language: ZText.max(50) }),
  breakers: z
    .array(ZBreakerDescriptor)
    .max(10_000)
    // Names are unique within a service: one registration naming a breaker twice could only mean two configurations for one breaker.
    .superRefine((breakers, context) => {
      const seen = new Set<string>();
      breakers.forEach((breaker, index) => {
        if (seen.has(breaker.name)) context.addIssue({ code: 'custom', message: 'names a breaker already named earlier in the list', path: [index, 'name'] });
        seen.add(breaker.name);
      });
    }),
});

/** `instance:register` payload. */
export type TInstanceRegister = z.infer<typeof ZInstanceRegister>;

/** What the server answers to a registration. */
export const ZRegisterResult = z.object({
  /** The server's clock (epoch ms), so a reporter can tell its own clock skew. */
  serverTime: z.number(),
});

/** Data of a successful `instance:register` acknowledgement. */
export type TRegisterResult = z.infer<typeof ZRegisterResult>;
