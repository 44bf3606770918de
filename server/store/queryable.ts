import type pg from 'pg';

/** A pool or one checked-out connection (inside a transaction): anything that runs a query. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Runs `work` in one transaction on a connection of its own. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
