-- Sources: services the panel watches (and, for a Resilience4j actuator,
-- steers) without an SDK. Credentials are stored sealed with AES-256-GCM
-- (server/sources/credential-box.ts); the key never reaches the database.

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('actuator', 'prometheus', 'hystrix', 'otlp');

-- CreateTable
CREATE TABLE "sources" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "SourceKind" NOT NULL,
    "name" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "targets" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "poll_interval_ms" INTEGER NOT NULL DEFAULT 5000,
    "credentials_sealed" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sources_name_key" ON "sources"("name");
