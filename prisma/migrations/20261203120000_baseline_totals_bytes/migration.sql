-- Baseline totals as float8send bytes (8 big-endian bytes per number) instead
-- of a float8[]: the flush writes millions of numbers per bucket, and bytes
-- need neither formatting on the panel nor parsing in Postgres.
ALTER TABLE "counter_baselines" ADD COLUMN "totals_bytes" BYTEA;
UPDATE "counter_baselines" SET "totals_bytes" = (
    SELECT coalesce(string_agg(float8send(value), ''::bytea ORDER BY position), ''::bytea)
    FROM unnest("totals") WITH ORDINALITY AS numbers(value, position)
);
ALTER TABLE "counter_baselines" DROP COLUMN "totals";
ALTER TABLE "counter_baselines" RENAME COLUMN "totals_bytes" TO "totals";
ALTER TABLE "counter_baselines" ALTER COLUMN "totals" SET NOT NULL;
-- Already compact numbers: compressing them costs Postgres more than it saves.
ALTER TABLE "counter_baselines" ALTER COLUMN "totals" SET STORAGE EXTERNAL;
