import { z } from 'zod';
import { secret } from '../secret-variable';
import type { SignInLimits } from './sign-in-limiter';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/** The access variables; merged into server/config.ts's ZConfigEnv so one schema checks them all. */
export const ZAccessEnv = z.object({
  ADMIN_EMAIL: z.email().optional().describe('an e-mail address for the first admin'),
  // Twelve characters at least: this account can stop traffic across a fleet.
  ADMIN_PASSWORD: secret(z.string().min(12).max(1024).optional().describe('a password of 12 characters or more for the first admin')),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(720).describe('minutes of inactivity after which a session ends, 1 or more'),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(168).describe('hours after sign-in after which a session ends regardless, 1 or more'),
  COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto').describe('auto (Secure when the request came over https), always or never'),
  TRUST_PROXY: flag.default(false).describe('true to take the client address and protocol from X-Forwarded-For/-Proto, else false'),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).default(5).describe('failed sign-ins from one address on one account before its further attempts must wait, 1 or more'),
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10).describe('failed sign-ins on one account from any address per 15 minutes before its attempts are slowed, 1 or more'),
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20).describe('failed sign-ins from one address on any account per 15 minutes before its attempts are slowed, 1 or more'),
});

export interface AccessConfig {
  /** The first admin, when no user exists yet; a random password is generated when absent. */
  bootstrapAdmin: { email: string | undefined; password: string | undefined };
  session: { idleMs: number; maxAgeMs: number };
  cookieSecure: 'auto' | 'always' | 'never';
  trustProxy: boolean;
  signInLimits: SignInLimits;
}

export function accessConfigFrom(values: z.infer<typeof ZAccessEnv>): AccessConfig {
  return {
    bootstrapAdmin: { email: values.ADMIN_EMAIL?.toLowerCase(), password: values.ADMIN_PASSWORD },
    session: { idleMs: values.SESSION_IDLE_MINUTES * 60_000, maxAgeMs: values.SESSION_MAX_HOURS * 3_600_000 },
    cookieSecure: values.COOKIE_SECURE,
    trustProxy: values.TRUST_PROXY,
    signInLimits: { perPair: values.SIGN_IN_MAX_FAILURES, perAccount: values.SIGN_IN_MAX_FAILURES_PER_ACCOUNT, perAddress: values.SIGN_IN_MAX_FAILURES_PER_ADDRESS, windowMs: 15 * 60_000 },
  };
}
