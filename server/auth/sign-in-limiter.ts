export interface SignInLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export type SignInLimiter = ReturnType<typeof createSignInLimiter>;

/**
 * Counts failed sign-ins per account and per client address in a fixed
 * window. Once either count reaches its limit, further attempts are refused
 * until the window ends, without checking the password: a guesser gets a few
 * tries per quarter hour instead of thousands. A success clears the account's
 * count, never the address's (one good account must not launder guesses at
 * others).
 *
 * The counts live in this process: behind a load balancer each process limits
 * on its own, which multiplies the budget by the number of processes but keeps
 * sign-in free of extra writes.
 */
export function createSignInLimiter({ limits, now }: { limits: SignInLimits; now: () => number }) {
  const failures = new Map<string, { count: number; resetAt: number }>();

  const current = (key: string, at: number) => {
    const entry = failures.get(key);
    if (!entry || entry.resetAt <= at) return null;
    return entry;
  };
  const bump = (key: string, at: number) => {
    const entry = current(key, at) ?? { count: 0, resetAt: at + limits.windowMs };
    entry.count += 1;
    failures.set(key, entry);
  };
  const sweep = (at: number) => {
    // Bounded memory under a spray of random e-mails: expired entries go first.
    if (failures.size < 10_000) return;
    for (const [key, entry] of failures) if (entry.resetAt <= at) failures.delete(key);
  };

  return {
    /** When the attempt must wait: the seconds until it may try again, or 0. */
    retryAfterSeconds(email: string, address: string): number {
      const at = now();
      const account = current(`account:${email}`, at);
      const client = current(`address:${address}`, at);
      const blocked = [account && account.count >= limits.perAccount ? account.resetAt : 0, client && client.count >= limits.perAddress ? client.resetAt : 0];
      const until = Math.max(...blocked);
      return until > at ? Math.ceil((until - at) / 1000) : 0;
    },
    recordFailure(email: string, address: string): void {
      const at = now();
      sweep(at);
      bump(`account:${email}`, at);
      bump(`address:${address}`, at);
    },
    recordSuccess(email: string): void {
      failures.delete(`account:${email}`);
    },
  };
}
