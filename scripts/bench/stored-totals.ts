import pg from 'pg';

export interface StoredTotals {
  counters: number;
  histogram: number;
}

// The six outcome counters and the histogram counts, summed over every 10 s bucket.
const SUMS = (table: string, where: string) => `
  SELECT coalesce(sum(success + failure + timeout + rejected + slow + fallback), 0)::text AS counters,
         coalesce(sum((SELECT coalesce(sum(v), 0) FROM unnest(latency_histogram) AS v)), 0)::text AS histogram
  FROM ${table} ${where}`;

// The same over per-instance buckets, whose counts are arrays (one element per instance; histograms two-dimensional).
const INSTANCE_SUMS = `
  SELECT (SELECT coalesce(sum(v), 0) FROM instance_buckets, unnest(success || failure || timeout || rejected || slow || fallback) AS v)::text AS counters,
         (SELECT coalesce(sum(v), 0) FROM instance_buckets, unnest(latency_histograms) AS v)::text AS histogram`;

/** What the store holds in the per-breaker and per-instance 10 s buckets, to check against what the fleet had acknowledged. */
export async function storedTotals(databaseUrl: string): Promise<{ breakerBuckets: StoredTotals; instanceBuckets: StoredTotals }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const read = async (sql: string): Promise<StoredTotals> => {
      const row = (await client.query<{ counters: string; histogram: string }>(sql)).rows[0]!;
      return { counters: Number(row.counters), histogram: Number(row.histogram) };
    };
    return {
      breakerBuckets: await read(SUMS('breaker_buckets', 'WHERE resolution_secs = 10')),
      instanceBuckets: await read(INSTANCE_SUMS),
    };
  } finally {
    await client.end();
  }
}
