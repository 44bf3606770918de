-- Breaker Panel: the whole data model (see prisma/schema.prisma).
-- Constraint and index names follow Prisma Migrate's conventions.

-- CreateEnum
CREATE TYPE "BreakerState" AS ENUM ('CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'FORCED_CLOSED');
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'admin');
CREATE TYPE "OperatorAction" AS ENUM ('trip', 'force_closed', 'reset', 'release');
-- The causes of lib/protocol's transitions; 'manual' is also the cause of the
-- panel's own rows for an override's start and end (instance_id NULL).
CREATE TYPE "TransitionCause" AS ENUM ('failure_rate', 'slow_call_rate', 'open_timeout_elapsed', 'trials_succeeded', 'trial_failed', 'command', 'manual', 'override_expired');
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'applied', 'failed', 'offline');
CREATE TYPE "OverrideEnd" AS ENUM ('released', 'expired', 'superseded');

-- Catalog ------------------------------------------------------------------

CREATE TABLE "services" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "services_name_key" ON "services"("name");

CREATE TABLE "instances" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "service_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "run_id" TEXT,
    "sdk_version" TEXT,
    "protocol_version" INTEGER,
    "dropped_transitions" BIGINT NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3),
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "instances_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "instances_service_id_name_key" ON "instances"("service_id", "name");

CREATE TABLE "breakers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "service_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "breakers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "breakers_service_id_name_key" ON "breakers"("service_id", "name");

CREATE TABLE "breaker_instance_states" (
    "breaker_id" UUID NOT NULL,
    "instance_id" UUID NOT NULL,
    "state" "BreakerState" NOT NULL,
    "would_be" "BreakerState",
    "state_since" TIMESTAMPTZ(3) NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "failure_rate" DOUBLE PRECISION,
    "slow_call_rate" DOUBLE PRECISION,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "breaker_instance_states_pkey" PRIMARY KEY ("breaker_id", "instance_id")
);
CREATE INDEX "breaker_instance_states_instance_id_idx" ON "breaker_instance_states"("instance_id");

-- Time series --------------------------------------------------------------
--
-- Retention must be cheap, so the tables are shaped for it:
--
-- * transitions hold one row per state change, orders of magnitude fewer than
--   counter buckets (a million rows is a month of a thousand busy breakers).
--   They are not partitioned: deduplication needs a unique key on
--   (instance, run, sequence) that cannot include a time partition key, and a
--   range DELETE on the "at" index is cheap at this size.
-- * breaker_buckets is partitioned by resolution, so each retention period
--   (48 h of 10 s, 30 d of 1 min, 400 d of 1 h) lives in its own table, and the
--   10 s partition, the only large one, is partitioned again by bucket_start
--   so the retention job can drop whole days instead of deleting rows. Rows
--   land in the DEFAULT partition until the job has created the day's one.
-- * instance_buckets keep one hour of per-instance 10 s counters, range
--   partitioned by bucket_start the same way.

CREATE TABLE "transitions" (
    "id" BIGSERIAL NOT NULL,
    "service_id" UUID NOT NULL,
    "breaker_id" UUID NOT NULL,
    "instance_id" UUID,
    "run_id" TEXT,
    "sequence" BIGINT,
    "from_state" "BreakerState",
    "to_state" "BreakerState" NOT NULL,
    "would_be" "BreakerState",
    "cause" "TransitionCause" NOT NULL,
    "failure_rate" DOUBLE PRECISION,
    "slow_call_rate" DOUBLE PRECISION,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "override_id" UUID,
    "command_id" TEXT,
    CONSTRAINT "transitions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "transitions_instance_id_run_id_sequence_key" ON "transitions"("instance_id", "run_id", "sequence");
CREATE INDEX "transitions_breaker_id_at_idx" ON "transitions"("breaker_id", "at");
CREATE INDEX "transitions_service_id_at_idx" ON "transitions"("service_id", "at");
CREATE INDEX "transitions_at_idx" ON "transitions"("at");

CREATE TABLE "breaker_buckets" (
    "breaker_id" UUID NOT NULL,
    "resolution_secs" INTEGER NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "success" BIGINT NOT NULL DEFAULT 0,
    "failure" BIGINT NOT NULL DEFAULT 0,
    "timeout" BIGINT NOT NULL DEFAULT 0,
    "rejected" BIGINT NOT NULL DEFAULT 0,
    "slow" BIGINT NOT NULL DEFAULT 0,
    "fallback" BIGINT NOT NULL DEFAULT 0,
    "latency_histogram" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    CONSTRAINT "breaker_buckets_pkey" PRIMARY KEY ("breaker_id", "resolution_secs", "bucket_start")
) PARTITION BY LIST ("resolution_secs");
CREATE INDEX "breaker_buckets_resolution_secs_bucket_start_idx" ON "breaker_buckets"("resolution_secs", "bucket_start");

CREATE TABLE "breaker_buckets_10s" PARTITION OF "breaker_buckets" FOR VALUES IN (10) PARTITION BY RANGE ("bucket_start");
CREATE TABLE "breaker_buckets_10s_default" PARTITION OF "breaker_buckets_10s" DEFAULT;
CREATE TABLE "breaker_buckets_60s" PARTITION OF "breaker_buckets" FOR VALUES IN (60);
CREATE TABLE "breaker_buckets_3600s" PARTITION OF "breaker_buckets" FOR VALUES IN (3600);

CREATE TABLE "instance_buckets" (
    "instance_id" UUID NOT NULL,
    "breaker_id" UUID NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "success" BIGINT NOT NULL DEFAULT 0,
    "failure" BIGINT NOT NULL DEFAULT 0,
    "timeout" BIGINT NOT NULL DEFAULT 0,
    "rejected" BIGINT NOT NULL DEFAULT 0,
    "slow" BIGINT NOT NULL DEFAULT 0,
    "fallback" BIGINT NOT NULL DEFAULT 0,
    "latency_histogram" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    CONSTRAINT "instance_buckets_pkey" PRIMARY KEY ("instance_id", "breaker_id", "bucket_start")
) PARTITION BY RANGE ("bucket_start");
CREATE INDEX "instance_buckets_breaker_id_bucket_start_idx" ON "instance_buckets"("breaker_id", "bucket_start");
CREATE TABLE "instance_buckets_default" PARTITION OF "instance_buckets" DEFAULT;

-- Control ------------------------------------------------------------------

CREATE TABLE "overrides" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "breaker_id" UUID NOT NULL,
    "desired_state" "BreakerState" NOT NULL,
    "scope" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "ended_by_id" UUID,
    "end_reason" "OverrideEnd",
    CONSTRAINT "overrides_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "overrides_breaker_id_ended_at_idx" ON "overrides"("breaker_id", "ended_at");
CREATE INDEX "overrides_expires_at_idx" ON "overrides"("expires_at");

CREATE TABLE "commands" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "breaker_id" UUID NOT NULL,
    "override_id" UUID,
    "action" "OperatorAction" NOT NULL,
    "scope" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    CONSTRAINT "commands_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "commands_idempotency_key_key" ON "commands"("idempotency_key");
CREATE INDEX "commands_breaker_id_created_at_idx" ON "commands"("breaker_id", "created_at");

CREATE TABLE "command_deliveries" (
    "command_id" UUID NOT NULL,
    "instance_id" UUID NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "resulting_state" "BreakerState",
    "error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "acknowledged_at" TIMESTAMPTZ(3),
    CONSTRAINT "command_deliveries_pkey" PRIMARY KEY ("command_id", "instance_id")
);
CREATE INDEX "command_deliveries_instance_id_idx" ON "command_deliveries"("instance_id");

CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_email" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "service_id" UUID,
    "breaker_id" UUID,
    "command_id" UUID,
    "reason" TEXT,
    "scope" JSONB,
    "ip_address" TEXT,
    "user_agent" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");
CREATE INDEX "audit_events_breaker_id_at_idx" ON "audit_events"("breaker_id", "at");
CREATE INDEX "audit_events_service_id_at_idx" ON "audit_events"("service_id", "at");
CREATE INDEX "audit_events_actor_id_at_idx" ON "audit_events"("actor_id", "at");

-- The audit trail is append-only, enforced by the database itself so that no
-- code path, present or future, can rewrite it.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_events_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
CREATE TRIGGER "audit_events_no_truncate"
    BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();

-- Access -------------------------------------------------------------------

CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "password_hash" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sign_in_at" TIMESTAMPTZ(3),
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "ip_address" TEXT,
    "user_agent" TEXT,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "service_id" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "description" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");
CREATE INDEX "api_keys_service_id_idx" ON "api_keys"("service_id");

-- Foreign keys -------------------------------------------------------------

ALTER TABLE "instances" ADD CONSTRAINT "instances_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "breakers" ADD CONSTRAINT "breakers_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "breaker_instance_states" ADD CONSTRAINT "breaker_instance_states_breaker_id_fkey" FOREIGN KEY ("breaker_id") REFERENCES "breakers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "breaker_instance_states" ADD CONSTRAINT "breaker_instance_states_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "transitions" ADD CONSTRAINT "transitions_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "transitions" ADD CONSTRAINT "transitions_breaker_id_fkey" FOREIGN KEY ("breaker_id") REFERENCES "breakers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "transitions" ADD CONSTRAINT "transitions_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "transitions" ADD CONSTRAINT "transitions_override_id_fkey" FOREIGN KEY ("override_id") REFERENCES "overrides"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "overrides" ADD CONSTRAINT "overrides_breaker_id_fkey" FOREIGN KEY ("breaker_id") REFERENCES "breakers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "overrides" ADD CONSTRAINT "overrides_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "overrides" ADD CONSTRAINT "overrides_ended_by_id_fkey" FOREIGN KEY ("ended_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "commands" ADD CONSTRAINT "commands_breaker_id_fkey" FOREIGN KEY ("breaker_id") REFERENCES "breakers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "commands" ADD CONSTRAINT "commands_override_id_fkey" FOREIGN KEY ("override_id") REFERENCES "overrides"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "commands" ADD CONSTRAINT "commands_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "command_deliveries" ADD CONSTRAINT "command_deliveries_command_id_fkey" FOREIGN KEY ("command_id") REFERENCES "commands"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "command_deliveries" ADD CONSTRAINT "command_deliveries_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
