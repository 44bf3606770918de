-- A batch's body is written once and read once by each other server within a
-- second: compressing it (TOAST's pglz, for bodies over about 2 kB) cost
-- Postgres more CPU than the bytes it saved (docs/performance.md, Cluster).
ALTER TABLE "cluster_part_batches" ALTER COLUMN "body" SET STORAGE EXTERNAL;
