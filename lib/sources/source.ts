import { z } from 'zod';
import { ZText } from '../protocol/storable';

/**
 * What a source reads: a Spring Boot actuator with Resilience4j (read and
 * steer), a Prometheus/OpenMetrics scrape, a Hystrix event stream, or OTLP
 * metrics pushed to the panel. Only zod and storable are imported: the
 * browser may use these schemas.
 */
export const ZSourceKind = z.enum(['actuator', 'prometheus', 'hystrix', 'otlp']);

/** What a source reads. */
export type TSourceKind = z.infer<typeof ZSourceKind>;

/** Source kinds the panel polls itself; `hystrix` holds a stream, `otlp` is pushed to the panel. */
export const POLLED_SOURCE_KINDS: readonly TSourceKind[] = ['actuator', 'prometheus'];

export const MIN_POLL_INTERVAL_MS = 1_000;
export const MAX_POLL_INTERVAL_MS = 3_600_000;
export const MAX_SOURCE_TARGETS = 5_000;

/** A target's base URL: http or https, no credentials in it (they go in `credentials`, sealed). */
export const ZTargetUrl = ZText.trim()
  .min(1)
  .max(2_000)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }))
  .refine((text) => {
    const url = new URL(text);
    return url.username === '' && url.password === '';
  }, 'must not carry a user or password: use the credentials fields');

/** Credentials sent with every request to the targets: none, HTTP basic, or a bearer token. */
export const ZSourceCredentials = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('basic'), username: ZText.min(1).max(500), password: ZText.max(2_000) }),
  z.object({ type: z.literal('bearer'), token: ZText.min(1).max(8_000) }),
]);

/** Credentials sent with every request to the targets. */
export type TSourceCredentials = z.infer<typeof ZSourceCredentials>;

const fields = {
  name: ZText.trim().min(1).max(200),
  service: ZText.trim().min(1).max(200),
  targets: z.array(ZTargetUrl).max(MAX_SOURCE_TARGETS),
  pollIntervalMs: z.number().int().min(MIN_POLL_INTERVAL_MS).max(MAX_POLL_INTERVAL_MS),
  credentials: ZSourceCredentials,
  enabled: z.boolean(),
};

/** An OTLP source's services push to the panel, so it takes no targets; every other kind needs at least one. */
export const OTLP_TARGETS_MESSAGE = 'an OTLP source takes no targets: its services push to the panel';

/** Targets are required for every kind but OTLP, which takes none. */
function targetsFitKind(source: { kind: TSourceKind; targets: string[] }, context: z.RefinementCtx): void {
  if (source.kind !== 'otlp' && source.targets.length === 0) context.addIssue({ code: 'custom', message: 'name at least one target URL for this kind', path: ['targets'] });
  if (source.kind === 'otlp' && source.targets.length > 0) context.addIssue({ code: 'custom', message: OTLP_TARGETS_MESSAGE, path: ['targets'] });
  if (new Set(source.targets).size !== source.targets.length) context.addIssue({ code: 'custom', message: 'names a target twice', path: ['targets'] });
}

/** `POST /api/v1/sources` body. */
export const ZCreateSource = z
  .object({
    kind: ZSourceKind,
    name: fields.name,
    service: fields.service,
    targets: fields.targets.default([]),
    pollIntervalMs: fields.pollIntervalMs.default(5_000),
    credentials: fields.credentials.default({ type: 'none' }),
    enabled: fields.enabled.default(true),
  })
  .strict()
  .superRefine(targetsFitKind);

/** `POST /api/v1/sources` body. */
export type TCreateSource = z.infer<typeof ZCreateSource>;

/**
 * `PATCH /api/v1/sources/:id` body: the fields to change. The kind cannot
 * change. Credentials left out stay as they are; `{ "type": "none" }` removes them.
 */
export const ZUpdateSource = z
  .object({
    name: fields.name.optional(),
    service: fields.service.optional(),
    targets: fields.targets.optional(),
    pollIntervalMs: fields.pollIntervalMs.optional(),
    credentials: fields.credentials.optional(),
    enabled: fields.enabled.optional(),
  })
  .strict()
  .refine((update) => Object.keys(update).length > 0, 'change at least one field')
  .refine((update) => !update.targets || new Set(update.targets).size === update.targets.length, { message: 'names a target twice', path: ['targets'] });

/** `PATCH /api/v1/sources/:id` body. */
export type TUpdateSource = z.infer<typeof ZUpdateSource>;

/** One source as the API shows it: the credentials' type only, never the credentials. */
export const ZSourceView = z.object({
  id: z.string(),
  kind: ZSourceKind,
  name: z.string(),
  service: z.string(),
  targets: z.array(z.string()),
  pollIntervalMs: z.number().int(),
  credentials: z.enum(['none', 'basic', 'bearer']),
  enabled: z.boolean(),
  /** The last read that failed, with its target; null once every target answers again. */
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** One source as the API shows it. */
export type TSourceView = z.infer<typeof ZSourceView>;

/** `GET /api/v1/sources` answer. */
export const ZSourceList = z.object({ sources: z.array(ZSourceView) });

/** `GET /api/v1/sources` answer. */
export type TSourceList = z.infer<typeof ZSourceList>;

/** The answer of `GET`, `POST` and `PATCH` on one source. */
export const ZSourceAnswer = z.object({ source: ZSourceView });

/** The answer of `GET`, `POST` and `PATCH` on one source. */
export type TSourceAnswer = z.infer<typeof ZSourceAnswer>;
