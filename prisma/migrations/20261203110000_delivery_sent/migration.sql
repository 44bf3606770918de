-- `sent`: the command was handed to the instance (emitted on its socket, or
-- returned in an answer to its HTTP batch or long poll) and is waiting for its
-- acknowledgement. `pending` now means queued for an HTTP reporter that has
-- not fetched it yet.
ALTER TYPE "DeliveryStatus" ADD VALUE IF NOT EXISTS 'sent' BEFORE 'applied';
