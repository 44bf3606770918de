-- History: deploy markers and the lookups behind the trip timeline.

-- One row per run (process start) of an instance, with the labels it
-- registered: instances.labels keeps only the latest, and the timeline needs
-- to see when an instance began reporting a new `version`. Written by ingest
-- at registration (ON CONFLICT DO NOTHING: a reconnect of the same run
-- registers again).
-- CreateTable
CREATE TABLE "instance_runs" (
    "instance_id" UUID NOT NULL,
    "run_id" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "instance_runs_pkey" PRIMARY KEY ("instance_id", "run_id")
);

-- AddForeignKey
ALTER TABLE "instance_runs" ADD CONSTRAINT "instance_runs_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The runs known so far: each instance's current one.
INSERT INTO "instance_runs" ("instance_id", "run_id", "labels", "started_at")
SELECT "id", "run_id", "labels", COALESCE("started_at", "first_seen_at") FROM "instances" WHERE "run_id" IS NOT NULL;

-- Each instance's state at the start of a range is its last transition
-- before it: with (breaker, instance, at) that is one backward index probe per
-- pair instead of a scan of everything before the range.
-- CreateIndex
CREATE INDEX "transitions_breaker_id_instance_id_at_idx" ON "transitions"("breaker_id", "instance_id", "at");

-- The complete trip episodes of each breaker (from the first instance leaving
-- CLOSED to the last one returning), kept so that the incidents of a month are
-- read rather than recomputed from a million transitions on every request.
-- Derived data: server/history/episode-catch-up.ts rebuilds a breaker's
-- episodes from its transitions whenever new ones arrive; an episode still
-- open is never stored.
-- CreateTable
CREATE TABLE "trip_episodes" (
    "breaker_id" UUID NOT NULL,
    "start_at" TIMESTAMPTZ(3) NOT NULL,
    "end_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" BIGINT NOT NULL,
    "instance_ids" UUID[],
    "peak_failure_rate" DOUBLE PRECISION,
    "peak_slow_call_rate" DOUBLE PRECISION,
    "openings" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "trip_episodes_pkey" PRIMARY KEY ("breaker_id", "start_at")
);
-- CreateIndex
CREATE INDEX "trip_episodes_start_at_idx" ON "trip_episodes"("start_at");
-- The incidents table's first page by start or by duration is read off these, not sorted from a month of episodes.
CREATE INDEX "trip_episodes_duration_ms_idx" ON "trip_episodes"("duration_ms");

-- AddForeignKey
ALTER TABLE "trip_episodes" ADD CONSTRAINT "trip_episodes_breaker_id_fkey" FOREIGN KEY ("breaker_id") REFERENCES "breakers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- How far trip_episodes has read the transitions (one row).
-- CreateTable
CREATE TABLE "trip_episode_progress" (
    "id" INTEGER NOT NULL,
    "last_transition_id" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "trip_episode_progress_pkey" PRIMARY KEY ("id")
);
