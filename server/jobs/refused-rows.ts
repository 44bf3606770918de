import type pg from 'pg';

/**
 * Whether an error means the database refused the data of a write, so that
 * writing the same rows again would fail again: a data exception (SQLSTATE
 * class 22: malformed array literal, out of range, invalid text) or an
 * integrity violation (class 23: a null or a foreign key to a breaker deleted
 * meanwhile), or a RangeError / TypeError raised while rendering a row's
 * parameters. Anything else (a lost connection, a shutdown, a timeout) may
 * pass on a later try.
 */
export function isRefusedData(error: unknown): boolean {
  if (error instanceof RangeError || error instanceof TypeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length === 5 && (code.startsWith('22') || code.startsWith('23'));
}

/** A row the database refused, with why. */
export interface RefusedRow {
  index: number;
  reason: string;
}

const reasonOf = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
};

/**
 * Writes rows (by index) inside an open transaction, isolating those the
 * database refuses: each try runs under a savepoint, and a refused try is
 * rolled back and split in halves until the rows at fault stand alone. Those
 * are left out and returned; every other row is written. Errors that are not
 * about the data (isRefusedData) are thrown, for the caller to roll back the
 * whole transaction and retry later.
 */
export async function writeIsolatingRefused(client: pg.PoolClient, indices: readonly number[], write: (indices: readonly number[]) => Promise<void>): Promise<RefusedRow[]> {
  if (indices.length === 0) return [];
  await client.query('SAVEPOINT isolate_rows');
  try {
    await write(indices);
    await client.query('RELEASE SAVEPOINT isolate_rows');
    return [];
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT isolate_rows');
    await client.query('RELEASE SAVEPOINT isolate_rows');
    if (!isRefusedData(error)) throw error;
    if (indices.length === 1) return [{ index: indices[0]!, reason: reasonOf(error) }];
    const middle = Math.ceil(indices.length / 2);
    const first = await writeIsolatingRefused(client, indices.slice(0, middle), write);
    const second = await writeIsolatingRefused(client, indices.slice(middle), write);
    return [...first, ...second];
  }
}
