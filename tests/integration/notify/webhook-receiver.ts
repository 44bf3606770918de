import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** What this receiver answered. */
  answered: number;
}

/** The receiver's side of docs/notifications.md, written from the doc rather than imported from the server. */
export function verifyWebhook(secret: string, header: string | undefined, body: string, toleranceSeconds = 300): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const [, t, v1] = match;
  if (Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1!, 'hex'));
}

/** A webhook receiver on 127.0.0.1 that records every request and can be told to fail some with 500. */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  let failing: (hook: Omit<ReceivedWebhook, 'answered'>) => boolean = () => true;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const hook = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const fail = failures > 0 && failing(hook);
      if (fail) failures -= 1;
      const answered = fail ? 500 : 204;
      received.push({ ...hook, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    /** Answers 500 to the next `count` requests that `which` picks (all by default). */
    failNext(count: number, which: (hook: Omit<ReceivedWebhook, 'answered'>) => boolean = () => true) {
      failures = count;
      failing = which;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
