import path from 'node:path';
import { z } from 'zod';
import { accessConfigFrom, ZAccessEnv, type AccessConfig } from './auth/access-config';
import { clusterConfigFrom, ZClusterEnv, type ClusterConfig } from './cluster/cluster-config';
import { notifyConfigFrom, ZNotifyEnv, type NotifyConfig } from './notify/notify-config';
import { secret, secretVariables } from './secret-variable';
import { credentialKeyFileOf, parseCredentialKey } from './sources/credential-key';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Every environment variable the server reads; README's table documents them. */
export const ZConfigEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production').describe('development, production or test'),
  PORT: port(3000).describe('a TCP port number, 0 to 65535'),
  HOST: z.string().min(1).default('0.0.0.0').describe('an address to listen on'),
  // Secret as a whole: a malformed URL cannot be parsed reliably enough to cut out just its password.
  DATABASE_URL: secret(
    z
      .url({ protocol: /^postgres(ql)?$/ })
      .optional()
      .describe('a postgres:// or postgresql:// URL'),
  ),
  DATA_DIR: z.string().min(1).default('.data').describe('a folder path'),
  PG_DATA_DIR: z.string().min(1).optional().describe('a folder path'),
  EMBEDDED_PG_PORT: port(0).describe('a TCP port number, 0 to 65535 (0 picks a free one)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('one of fatal, error, warn, info, debug, trace, silent'),
  REPORT_INTERVAL_MS: z.coerce.number().int().positive().default(1_000).describe("the reporters' interval in milliseconds"),
  STALE_AFTER_INTERVALS: z.coerce.number().int().min(1).default(3).describe('a whole number of report intervals, 1 or more'),
  FLUSH_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000).describe('milliseconds between bucket flushes, 100 or more'),
  MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 * 1024)
    .describe('a size in bytes, 1024 or more'),
  RETENTION_10S_HOURS: z.coerce.number().int().min(2).default(48).describe('hours to keep 10 s buckets, 2 or more'),
  RETENTION_1M_DAYS: z.coerce.number().int().min(1).default(30).describe('days to keep 1 min buckets, 1 or more'),
  RETENTION_1H_DAYS: z.coerce.number().int().min(1).default(400).describe('days to keep 1 h buckets, 1 or more'),
  INSTANCE_BUCKETS_MINUTES: z.coerce.number().int().min(10).default(60).describe('minutes to keep per-instance buckets, 10 or more'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000).describe('a positive number of milliseconds'),
  DEMO: z.enum(['on', 'off']).default('on').describe('on or off'),
  METRICS_TOKEN: secret(z.string().min(16).optional().describe('a secret of at least 16 characters')),
  SOURCE_CREDENTIALS_KEY: secret(
    z
      .string()
      .refine((text) => parseCredentialKey(text) !== null)
      .optional()
      .describe('a 32-byte key as 64 hex digits or base64'),
  ),
  ...ZAccessEnv.shape,
  ...ZNotifyEnv.shape,
  ...ZClusterEnv.shape,
});

export type TConfigEnv = z.infer<typeof ZConfigEnv>;

export interface Config {
  env: TConfigEnv['NODE_ENV'];
  dev: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPostgres: { dataDir: string; port: number };
  logLevel: TConfigEnv['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  /** Run the demo fleet beside an embedded database (never with DATABASE_URL). */
  demo: boolean;
  /** Bearer token for GET /metrics; metrics are off without it. */
  metricsToken: string | undefined;
  ingest: {
    reportIntervalMs: number;
    staleAfterMs: number;
    flushIntervalMs: number;
    maxMessageBytes: number;
    retention: { tenSecondMs: number; oneMinuteMs: number; oneHourMs: number; instanceBucketMs: number };
  };
  access: AccessConfig;
  notify: NotifyConfig;
  /** Several servers on one Postgres (docs/operations.md); off by default. */
  cluster: ClusterConfig;
  sources: {
    /** The key that seals source credentials, from SOURCE_CREDENTIALS_KEY; null: the key file. */
    credentialKey: Buffer | null;
    /** Made (0600) on first use when no key is given. */
    credentialKeyFile: string;
  };
  /** The project root: where the Next app and the migrations live. */
  rootDir: string;
}

/** Thrown with one line naming the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const isVariable = (name: string): name is keyof typeof ZConfigEnv.shape => Object.hasOwn(ZConfigEnv.shape, name);

/**
 * One line naming the variable and what it expects. The value is shown only
 * for a variable known not to be secret: a secret's value never reaches the
 * console, not even a wrong one (it may be the right secret with a typo), and
 * neither does zod's own message, which could quote the input.
 */
function describeInvalid(issue: z.core.$ZodIssue | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const variable = String(issue?.path[0] ?? 'environment');
  const schema = isVariable(variable) ? ZConfigEnv.shape[variable] : undefined;
  const expected = schema?.description ?? 'a valid value';
  if (!schema || secretVariables.has(schema)) return `Invalid ${variable} (value not shown): expected ${expected}`;
  return `Invalid ${variable}=${JSON.stringify(env[variable] ?? '')}: expected ${expected}`;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>, rootDir: string): Config {
  // Empty strings mean "unset": shells and .env files produce them often.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = ZConfigEnv.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(describeInvalid(parsed.error.issues[0], env));
  }
  const values = parsed.data;
  // The embedded Postgres belongs to one server: servers can only share a database they all reach.
  if (values.CLUSTER === 'on' && values.DATABASE_URL === undefined) throw new ConfigError('CLUSTER=on needs DATABASE_URL: servers share one Postgres, and the embedded one belongs to a single server');
  const dataDir = path.resolve(rootDir, values.DATA_DIR);
  return {
    env: values.NODE_ENV,
    dev: values.NODE_ENV === 'development',
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    dataDir,
    embeddedPostgres: {
      dataDir: path.resolve(rootDir, values.PG_DATA_DIR ?? path.join(values.DATA_DIR, 'postgres')),
      port: values.EMBEDDED_PG_PORT,
    },
    logLevel: values.LOG_LEVEL,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    demo: values.DEMO === 'on' && values.DATABASE_URL === undefined,
    metricsToken: values.METRICS_TOKEN,
    ingest: {
      reportIntervalMs: values.REPORT_INTERVAL_MS,
      staleAfterMs: values.REPORT_INTERVAL_MS * values.STALE_AFTER_INTERVALS,
      flushIntervalMs: values.FLUSH_INTERVAL_MS,
      maxMessageBytes: values.MAX_MESSAGE_BYTES,
      // JSON.parse of reports was a quarter of the main thread at 100,000 breaker-reports/s; a second core takes it.
      retention: {
        tenSecondMs: values.RETENTION_10S_HOURS * 3_600_000,
        oneMinuteMs: values.RETENTION_1M_DAYS * 86_400_000,
        oneHourMs: values.RETENTION_1H_DAYS * 86_400_000,
        instanceBucketMs: values.INSTANCE_BUCKETS_MINUTES * 60_000,
      },
    },
    access: accessConfigFrom(values),
    notify: notifyConfigFrom(values),
    cluster: clusterConfigFrom(values),
    sources: {
      credentialKey: values.SOURCE_CREDENTIALS_KEY === undefined ? null : parseCredentialKey(values.SOURCE_CREDENTIALS_KEY),
      credentialKeyFile: credentialKeyFileOf(dataDir),
    },
    rootDir,
  };
}
