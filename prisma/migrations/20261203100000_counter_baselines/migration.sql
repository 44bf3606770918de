-- Each instance's cumulative counters of its current run, per breaker, as far
-- as they are stored in buckets. Written in the same transaction as the
-- buckets, so a server restarted after a crash (kill -9, power loss) counts a
-- run's next report from exactly what is stored: nothing the dead server had
-- not written yet is lost, nothing is counted twice. One row per instance,
-- its breakers in arrays (like instance_buckets), written once per closed
-- bucket in which it counted something.
CREATE TABLE "counter_baselines" (
    "instance_id" UUID NOT NULL,
    "run_id" TEXT NOT NULL,
    "breaker_ids" UUID[],
    -- How many numbers of `totals` each breaker has: its six outcome counts, then its latency histogram.
    "widths" INTEGER[],
    "totals" DOUBLE PRECISION[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "counter_baselines_pkey" PRIMARY KEY ("instance_id")
);

ALTER TABLE "counter_baselines" ADD CONSTRAINT "counter_baselines_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;
