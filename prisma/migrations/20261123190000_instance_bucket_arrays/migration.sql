-- Per-instance 10 s buckets as one row per breaker and bucket, with each
-- instance's counts in arrays (element i belongs to instance_ids[i]), instead
-- of one row per breaker × instance. A fleet of 2,000 instances × 50 breakers
-- wrote 100,000 rows every 10 s, each with a primary key and a second index
-- to maintain: those inserts kept a Postgres backend busy about a third of the
-- time at 100,000 breaker-reports a second (docs/performance.md). Per breaker
-- it is 10,000 rows with one index.
--
-- A bucket is written once, when it closes; reports that arrive after that
-- (or a second server) add another row for the same breaker and bucket, so
-- readers sum the rows per instance. `id` only tells such rows apart.
--
-- The old table held at most the last hour of per-instance buckets; that hour
-- is not carried over.

DROP TABLE "instance_buckets";

CREATE TABLE "instance_buckets" (
    "breaker_id" UUID NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "instance_ids" UUID[],
    "success" BIGINT[],
    "failure" BIGINT[],
    "timeout" BIGINT[],
    "rejected" BIGINT[],
    "slow" BIGINT[],
    "fallback" BIGINT[],
    -- One histogram per instance, zero-padded to one width: a two-dimensional array ('{}' when no instance has one).
    "latency_histograms" BIGINT[],
    CONSTRAINT "instance_buckets_pkey" PRIMARY KEY ("breaker_id", "bucket_start", "id")
) PARTITION BY RANGE ("bucket_start");
CREATE TABLE "instance_buckets_default" PARTITION OF "instance_buckets" DEFAULT;
