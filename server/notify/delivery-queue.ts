import type { TNotificationEvent } from '../../lib/notify/notification-event.js';
import type { Logger } from '../logger';
import type { Prisma } from '../store/prisma';
import type { NotifyConfig } from './notify-config';
import type { ActiveEndpoint } from './notification-settings';
import { renderBody } from './render-body';
import { retryDelay } from './retry-delay';
import { SIGNATURE_HEADER, signatureHeader } from './signature';

export interface DeliveryQueueOptions {
  prisma: Prisma;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  config: Pick<NotifyConfig, 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'timeoutMs'>;
  userAgent: string;
  logger: Logger;
}

interface ClaimedRow {
  id: string;
  body: string;
  attempts: number;
  event_type: string;
  url: string;
  secret: string;
  enabled: boolean;
}

const BATCH = 20;
const MAX_ERROR_LENGTH = 500;

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;

/**
 * Webhook deliveries: each is a row first (so a restart loses nothing and
 * the log shows it), then sent by a pump that claims due rows with SKIP
 * LOCKED — several servers never send one row twice — and retries with
 * exponential backoff and jitter until a 2xx or `maxAttempts`.
 * Nothing here is awaited by ingest.
 */
export function createDeliveryQueue({ prisma, fetch, now, random, config, userAgent, logger }: DeliveryQueueOptions) {
  let running: Promise<void> | null = null;
  let again = false;

  async function attempt(row: ClaimedRow): Promise<void> {
    const attempts = row.attempts + 1;
    let statusCode: number | null = null;
    let error: string | null = null;
    if (!row.enabled) error = 'endpoint disabled';
    else {
      const body = row.body;
      try {
        const response = await fetch(row.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': userAgent,
            'x-breaker-panel-event': row.event_type,
            'x-breaker-panel-delivery': row.id,
            [SIGNATURE_HEADER]: signatureHeader(row.secret, Math.floor(now() / 1000), body),
          },
          body,
          // A redirect would resend a signed body somewhere the admin never configured.
          redirect: 'manual',
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        statusCode = response.status;
        await response.body?.cancel().catch(() => undefined);
        if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
      } catch (caught) {
        const cause = caught instanceof Error && caught.cause instanceof Error ? `: ${caught.cause.message}` : '';
        error = (caught instanceof Error ? `${caught.name}: ${caught.message}${cause}` : String(caught)).slice(0, MAX_ERROR_LENGTH);
      }
    }
    const at = now();
    const status = error === null ? 'delivered' : !row.enabled || attempts >= config.maxAttempts ? 'failed' : 'pending';
    await prisma.notificationDelivery.update({
      where: { id: row.id },
      data: {
        status,
        attempts,
        lastAttemptAt: new Date(at),
        lastStatusCode: statusCode,
        lastError: error,
        deliveredAt: status === 'delivered' ? new Date(at) : null,
        nextAttemptAt: status === 'pending' ? new Date(at + retryDelay(attempts, { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs }, random)) : null,
      },
      select: { id: true },
    });
  }

  async function pumpOnce(): Promise<number> {
    const at = now();
    // Claimed rows are leased past one attempt's timeout: a server that dies mid-send leaves them for another.
    const lease = new Date(at + config.timeoutMs + 5_000);
    const rows = await prisma.$queryRaw<ClaimedRow[]>`
      UPDATE notification_deliveries AS d SET next_attempt_at = ${lease}
      FROM notification_endpoints AS e
      WHERE e.id = d.endpoint_id AND d.id IN (
        SELECT id FROM notification_deliveries
        WHERE status = 'pending' AND next_attempt_at <= ${new Date(at)}
        ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING d.id::text AS id, d.body, d.attempts, d.event_type, e.url, e.secret, e.enabled`;
    await Promise.all(rows.map((row) => attempt(row).catch((error: unknown) => logger.warn({ err: error, deliveryId: row.id }, 'recording a webhook attempt failed'))));
    return rows.length;
  }

  /** Sends what is due; a call while a pump runs makes that pump go round once more. */
  function pump(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        while ((await pumpOnce()) === BATCH);
      } while (again);
    })()
      .catch((error: unknown) => logger.warn({ err: error }, 'sending webhooks failed'))
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    pump,
    /** Stores one delivery per endpoint for the event and starts sending without waiting for it. */
    async enqueue(event: TNotificationEvent, endpoints: readonly ActiveEndpoint[]): Promise<void> {
      if (endpoints.length === 0) return;
      const at = new Date(now());
      await prisma.notificationDelivery.createMany({
        data: endpoints.map((endpoint) => ({
          endpointId: endpoint.id,
          eventId: event.id,
          eventType: event.type,
          breakerId: event.breaker.id,
          service: event.service,
          breaker: event.breaker.name,
          body: renderBody(event, endpoint.format),
          nextAttemptAt: at,
          createdAt: at,
        })),
      });
      void pump();
    },
    /** Waits for a pump in progress (shutdown). */
    async drain(): Promise<void> {
      await running;
    },
  };
}
