-- Each server's parts of the breakers' live views travel as numbered batches
-- (server/cluster/partial-exchange.ts): one row per publish holding every
-- part that changed, instead of one row per server and breaker rewritten on
-- every change. UNLOGGED: live state each server writes whole again at every
-- bucket's start (after a Postgres crash the table is empty and refills).
DROP TABLE "cluster_partials";

CREATE UNLOGGED TABLE "cluster_part_batches" (
    "server_id" TEXT NOT NULL,
    -- Per server and run, from 1: a reader applies a server's batches past the last number it applied.
    "number" INTEGER NOT NULL,
    -- Every part the server holds, which replaces what a reader had of it; else only the parts that changed.
    "whole" BOOLEAN NOT NULL,
    -- JSON text, parsed by the readers alone.
    "body" TEXT NOT NULL,

    CONSTRAINT "cluster_part_batches_pkey" PRIMARY KEY ("server_id", "number")
);
