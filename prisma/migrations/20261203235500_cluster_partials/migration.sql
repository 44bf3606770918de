-- Each server's part of every breaker's live view (server/cluster/partial-exchange.ts):
-- one row per (server, breaker), upserted in batches; a NOTIFY on
-- `panel_partials` tells the others to read the rows newer than the `seq`
-- they have. UNLOGGED: the rows are live state the servers rewrite whole
-- every few seconds, not worth the write-ahead log (after a Postgres crash
-- the table is empty and is refilled within one refresh).
CREATE UNLOGGED TABLE "cluster_partials" (
    "server_id" TEXT NOT NULL,
    "breaker_id" UUID NOT NULL,
    -- From one sequence for every server: a reader asks for the rows of a server newer than the last it read.
    "seq" BIGSERIAL NOT NULL,
    -- The partial and its instances; null once the server holds none of the breaker's instances.
    "body" JSONB,

    CONSTRAINT "cluster_partials_pkey" PRIMARY KEY ("server_id", "breaker_id")
);
CREATE INDEX "cluster_partials_server_id_seq_idx" ON "cluster_partials"("server_id", "seq");
