-- Several panel servers on one Postgres (docs/operations.md, "Running several
-- servers"). Each server has a row it heartbeats; the others read it to tell a
-- live server from a dead one.
CREATE TABLE "servers" (
    "id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- Set by a graceful stop: the server is gone without waiting for its heartbeat to age.
    "stopped_at" TIMESTAMPTZ(3),

    CONSTRAINT "servers_pkey" PRIMARY KEY ("id")
);

-- Cluster bus messages too large for a NOTIFY payload (8,000 bytes): the row
-- holds the body, the notification carries its id. Deleted after a few minutes.
CREATE TABLE "cluster_messages" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cluster_messages_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "cluster_messages_created_at_idx" ON "cluster_messages"("created_at");

-- A job that must run on one server at a time: whoever holds the unexpired
-- lease runs it; a dead holder's lease runs out and another server takes it.
CREATE TABLE "cluster_leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    -- Runs completed under any holder: lets a test and an operator see a job ran once per period.
    "runs" BIGINT NOT NULL DEFAULT 0,
    "last_run_at" TIMESTAMPTZ(3),

    CONSTRAINT "cluster_leases_pkey" PRIMARY KEY ("name")
);

-- @socket.io/postgres-adapter's table for broadcasts over 8,000 bytes or with
-- binary data (its default name and shape); the adapter deletes old rows itself.
CREATE TABLE "socket_io_attachments" (
    "id" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" BYTEA NOT NULL,

    CONSTRAINT "socket_io_attachments_pkey" PRIMARY KEY ("id")
);

-- Failed sign-ins counted for every server at once (CLUSTER=on), as
-- server/auth/shared-sign-in-limiter.ts counts them: per (address, account)
-- pair, per account and per address. `at` is when a pair's last failure is
-- counted from, or when an account's or address's window ends.
CREATE TABLE "sign_in_failures" (
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_failures_pkey" PRIMARY KEY ("kind", "key")
);
CREATE INDEX "sign_in_failures_at_idx" ON "sign_in_failures"("at");
