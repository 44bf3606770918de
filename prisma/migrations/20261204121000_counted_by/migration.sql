-- The server that counts an instance's run now (CLUSTER=on; server/cluster/counting-handover.ts):
-- a server the run moves to asks it to write what it counted before counting on.
ALTER TABLE "counter_baselines" ADD COLUMN "counted_by" TEXT;
