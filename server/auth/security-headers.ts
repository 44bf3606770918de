import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The page policy. Scripts run only from our origin or with this response's
 * nonce (Next puts it on its inline scripts), 'strict-dynamic' lets those load
 * their chunks; no 'unsafe-eval' outside development (Next's dev reload needs
 * it). Styles allow inline attributes: charts position elements with them, and
 * a style cannot run code. Nothing may frame the panel: an operator's click
 * must never be borrowed by another site.
 */
export function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// JSON is never a document: it may load nothing and be framed by no one.
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

function common(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=()');
}

export function setApiHeaders(res: ServerResponse): void {
  common(res);
  res.setHeader('content-security-policy', API_POLICY);
}

/**
 * A fresh nonce per page request: on the response for the browser, and on the
 * request for Next, which reads it from the request's own
 * content-security-policy header and stamps it on its scripts.
 */
export function setPageHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  common(res);
  const policy = pagePolicy(randomBytes(16).toString('base64'), dev);
  req.headers['content-security-policy'] = policy;
  res.setHeader('content-security-policy', policy);
}
