import type pg from 'pg';
import type { Logger } from '../logger';
import { doubling, PAIR_FIRST_WAIT_MS, PAIR_MEMORY_MS, slowingFor, type SignInAdmission, type SignInLimiter, type SignInLimits } from './sign-in-limiter';

// Expired counts are deleted this often by each server (the statement is idempotent).
const SWEEP_EVERY_MS = 10 * 60_000;

interface Count {
  count: number;
  at: Date;
}

/**
 * The sign-in limits of createSignInLimiter (same rules, same numbers),
 * counted in Postgres so that every server behind a balancer sees every
 * failure: a guesser spread over three servers waits as long as one on a
 * single server. Each admission is one transaction that locks the pair's
 * row, so parallel guesses on several servers cannot slip past the count.
 */
/** An admission whose `succeeded` resolves once the cluster's counts are taken back (it never rejects: a failure is logged). */
export type SharedSignInAdmission = Exclude<SignInAdmission, { kind: 'admitted' }> | (Omit<Extract<SignInAdmission, { kind: 'admitted' }>, 'succeeded'> & { succeeded(): Promise<void> });

export function createSharedSignInLimiter({
  pool,
  limits,
  now,
  logger,
}: {
  pool: pg.Pool;
  limits: SignInLimits;
  now: () => number;
  logger: Logger;
}): SignInLimiter & { admit(email: string, address: string): Promise<SharedSignInAdmission>; close(): void } {
  const sweep = () =>
    pool
      .query(`DELETE FROM sign_in_failures WHERE (kind = 'pair' AND at < $1) OR (kind <> 'pair' AND at < $2)`, [new Date(now() - PAIR_MEMORY_MS), new Date(now())])
      .catch((error: unknown) => logger.warn({ err: error }, 'deleting old sign-in failures failed'));
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref();

  // An account's or address's failures in its window, this attempt counted; a window that ended starts again.
  const countInWindow = async (client: pg.PoolClient, kind: 'account' | 'address', key: string, at: number): Promise<Count> => {
    const { rows } = await client.query<Count>(
      `INSERT INTO sign_in_failures AS f (kind, key, count, at) VALUES ($1, $2, 1, $4)
       ON CONFLICT (kind, key) DO UPDATE SET
         count = CASE WHEN f.at > $3 THEN f.count + 1 ELSE 1 END,
         at = CASE WHEN f.at > $3 THEN f.at ELSE EXCLUDED.at END
       RETURNING count, at`,
      [kind, key, new Date(at), new Date(at + limits.windowMs)],
    );
    return rows[0]!;
  };

  return {
    async admit(email: string, address: string): Promise<SharedSignInAdmission> {
      const at = now();
      const pairKey = `${address}\n${email}`;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // The pair's row, locked for this admission (inserted first so that there is a row to lock).
        await client.query(`INSERT INTO sign_in_failures (kind, key, count, at) VALUES ('pair', $1, 0, $2) ON CONFLICT (kind, key) DO NOTHING`, [pairKey, new Date(0)]);
        const { rows } = await client.query<Count>(`SELECT count, at FROM sign_in_failures WHERE kind = 'pair' AND key = $1 FOR UPDATE`, [pairKey]);
        const stored = rows[0]!;
        const pair = stored.at.getTime() + PAIR_MEMORY_MS > at ? stored : { count: 0, at: new Date(0) };
        if (pair.count >= limits.perPair) {
          const until = pair.at.getTime() + doubling(PAIR_FIRST_WAIT_MS, pair.count - limits.perPair, limits.windowMs);
          if (until > at) {
            await client.query('COMMIT');
            return { kind: 'refused', retryAfterSeconds: Math.ceil((until - at) / 1000) };
          }
        }
        const account = await countInWindow(client, 'account', email, at);
        const addressCount = await countInWindow(client, 'address', address, at);
        // Counted before this attempt, as the in-process limiter does.
        const delayMs = Math.max(slowingFor(account.count - 1, limits.perAccount), slowingFor(addressCount.count - 1, limits.perAddress));
        await client.query(`UPDATE sign_in_failures SET count = $2, at = $3 WHERE kind = 'pair' AND key = $1`, [pairKey, pair.count + 1, new Date(at + delayMs)]);
        await client.query('COMMIT');
        let settled = false;
        return {
          kind: 'admitted',
          delayMs,
          async succeeded() {
            if (settled) return;
            settled = true;
            try {
              // Only this attempt is taken back, and only from the window it was counted in.
              await pool.query(`DELETE FROM sign_in_failures WHERE kind = 'pair' AND key = $1`, [pairKey]);
              await pool.query(
                `UPDATE sign_in_failures SET count = greatest(count - 1, 0)
                 WHERE (kind = 'account' AND key = $1 AND at = $2) OR (kind = 'address' AND key = $3 AND at = $4)`,
                [email, account.at, address, addressCount.at],
              );
            } catch (error) {
              logger.warn({ err: error }, 'clearing sign-in failures after a success failed');
            }
          },
        };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => clearInterval(timer),
  };
}
