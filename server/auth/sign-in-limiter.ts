export interface SignInLimits {
  /** Failures from one address on one account before each further attempt of that pair must wait, longer each time. */
  perPair: number;
  /** Failures on one account, from any address, within the window before every attempt on it is slowed. */
  perAccount: number;
  /** Failures from one address, on any account, within the window before every attempt from it is slowed. */
  perAddress: number;
  windowMs: number;
}

/** An attempt may go ahead after `delayMs`, or is refused without a password check. */
export type SignInAdmission =
  | { kind: 'refused'; retryAfterSeconds: number }
  | {
      kind: 'admitted';
      /** How long to hold the attempt before checking the password. */
      delayMs: number;
      /** Call when the password was right; until then the attempt counts as a failure. */
      succeeded(): void;
    };

/** What the sign-in route needs: this process's counts (createSignInLimiter) or the cluster's (shared-sign-in-limiter.ts). */
export interface SignInLimiter {
  admit(email: string, address: string): SignInAdmission | Promise<SignInAdmission>;
}

// A pair's waits double from a second up to the window: guessing one account from one address
// falls to a few tries an hour, while a user who mistyped waits seconds.
export const PAIR_FIRST_WAIT_MS = 1_000;
// A pair's failures are kept this long after its last one, so that waiting out one wait does not reset the others.
export const PAIR_MEMORY_MS = 24 * 3_600_000;
// Slowing doubles from a quarter second up to a few seconds: enough to make guessing costly, never a lockout.
const SLOW_FIRST_MS = 250;
const SLOW_MAX_MS = 5_000;
// Bounded memory under a spray of random e-mails and addresses.
const SWEEP_AT_ENTRIES = 10_000;
const MAX_ENTRIES = 100_000;

interface Count {
  count: number;
  /** When the last failure was counted (pairs) or when the window ends (accounts, addresses). */
  at: number;
}

export const doubling = (first: number, steps: number, max: number) => Math.min(max, first * 2 ** Math.min(steps, 30));
/** How long an attempt is held for an account's or address's failures in the window. */
export const slowingFor = (failures: number, limit: number) => (failures < limit ? 0 : doubling(SLOW_FIRST_MS, failures - limit, SLOW_MAX_MS));

/** Counts by key, each forgotten once `endsAt` of it has passed, in bounded memory under a spray of random keys. */
function createCounts(endsAt: (entry: Count) => number) {
  const entries = new Map<string, Count>();
  // A sweep visits every entry, so the next one waits for as many new entries again: linear, not quadratic.
  let sweepAt = SWEEP_AT_ENTRIES;
  const sweep = (at: number) => {
    for (const [key, entry] of entries) if (endsAt(entry) <= at) entries.delete(key);
    // Still too many live ones: the least recently failed go first (the map's order, see set).
    for (const key of entries.keys()) {
      if (entries.size <= MAX_ENTRIES) break;
      entries.delete(key);
    }
    sweepAt = entries.size + SWEEP_AT_ENTRIES;
  };
  return {
    get(key: string, at: number): Count | undefined {
      const entry = entries.get(key);
      return entry && endsAt(entry) > at ? entry : undefined;
    },
    set(key: string, entry: Count, at: number): void {
      // Re-inserted, so that the map's order is least recently failed first.
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size >= sweepAt) sweep(at);
    },
    delete(key: string): void {
      entries.delete(key);
    },
    /** Whether `entry` is still the one counted under `key` (not forgotten and started again since). */
    holds(key: string, entry: Count): boolean {
      return entries.get(key) === entry;
    },
  };
}

/**
 * Keeps guessing slow without letting anyone lock an account out.
 *
 * - Refused: attempts of one (address, account) pair past `perPair`
 *   failures, until a wait that doubles with every further failure has
 *   passed (answered 429 without checking the password). Only the guesser's
 *   own address is refused: the owner elsewhere is never turned away.
 * - Slowed, never refused: every attempt on an account that failed
 *   `perAccount` times in the window from any addresses (a guesser spread
 *   over many addresses), and every attempt from an address that failed
 *   `perAddress` times in the window on any accounts (one address spraying
 *   many accounts; it may be a shared one, so it is only slowed). The right
 *   password still signs in, a few seconds later.
 *
 * An admitted attempt counts as a failure at once and is taken back when it
 * succeeds, so parallel guesses cannot slip past the count. A success also
 * clears its pair. The counts live in this process; with several servers
 * (CLUSTER=on) server/auth/shared-sign-in-limiter.ts keeps them in Postgres.
 */
export function createSignInLimiter({ limits, now }: { limits: SignInLimits; now: () => number }): { admit(email: string, address: string): SignInAdmission } {
  const pairs = createCounts((entry) => entry.at + PAIR_MEMORY_MS);
  const accounts = createCounts((entry) => entry.at);
  const addresses = createCounts((entry) => entry.at);

  const slowFor = (failures: number, limit: number) => slowingFor(failures, limit);
  const countInWindow = (counts: ReturnType<typeof createCounts>, key: string, at: number) => {
    const entry = counts.get(key, at) ?? { count: 0, at: at + limits.windowMs };
    entry.count += 1;
    counts.set(key, entry, at);
    return entry;
  };

  return {
    admit(email: string, address: string): SignInAdmission {
      const at = now();
      const pairKey = `${address}\n${email}`;
      const pair = pairs.get(pairKey, at);
      if (pair && pair.count >= limits.perPair) {
        const until = pair.at + doubling(PAIR_FIRST_WAIT_MS, pair.count - limits.perPair, limits.windowMs);
        if (until > at) return { kind: 'refused', retryAfterSeconds: Math.ceil((until - at) / 1000) };
      }
      const delayMs = Math.max(slowFor(accounts.get(email, at)?.count ?? 0, limits.perAccount), slowFor(addresses.get(address, at)?.count ?? 0, limits.perAddress));

      // The pair's next wait runs from when this attempt's password is checked, after its slowing.
      pairs.set(pairKey, { count: (pair?.count ?? 0) + 1, at: at + delayMs }, at);
      const accountEntry = countInWindow(accounts, email, at);
      const addressEntry = countInWindow(addresses, address, at);
      let settled = false;
      return {
        kind: 'admitted',
        delayMs,
        succeeded() {
          if (settled) return;
          settled = true;
          pairs.delete(pairKey);
          // Only this attempt is taken back: other failures of the account or the address stay counted.
          if (accounts.holds(email, accountEntry)) accountEntry.count -= 1;
          if (addresses.holds(address, addressEntry)) addressEntry.count -= 1;
        },
      };
    },
  };
}
