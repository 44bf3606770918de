import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header every webhook delivery carries. */
export const SIGNATURE_HEADER = 'x-breaker-panel-signature';

/** hex HMAC-SHA256 of `<t>.<body>`: binding the time stops an old delivery from being replayed later. */
export function signatureOf(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

/** `t=<unix seconds>,v1=<hex>`, in the style of Stripe's header so receivers know the shape. */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${signatureOf(secret, timestampSeconds, body)}`;
}

/**
 * What a receiver does (docs/notifications.md shows the same in a snippet):
 * parse the header, recompute, compare in constant time, refuse old timestamps.
 */
export function verifySignature(secret: string, header: string | null | undefined, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  const actual = Buffer.from(given, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
