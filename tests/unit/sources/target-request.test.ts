import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTarget, TargetError } from '../../../server/sources/target-request';

describe('a request to a source target', () => {
  let server: http.Server;
  let base = '';
  const seen: Array<{ path: string; authorization: string | undefined }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === '/hang') return; // never answers
      if (req.url === '/moved') return void res.writeHead(302, { location: '/elsewhere' }).end();
      if (req.url === '/huge') return void res.writeHead(200, { 'content-length': String(64 * 1024 * 1024) }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on a target that does not answer within the timeout, and says so', async () => {
    const started = Date.now();
    const failure = await requestTarget(`${base}/hang`, { accept: 'application/json', credentials: { type: 'none' }, timeoutMs: 200 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TargetError);
    expect((failure as TargetError).message).toBe(`GET ${base}/hang: timed out after 200 ms`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends the credentials, does not follow redirects, and refuses an answer too large to be a breaker list', async () => {
    const answer = await requestTarget(`${base}/ok`, { accept: 'application/json', credentials: { type: 'bearer', token: 'tok-1' }, timeoutMs: 2_000 });
    expect(answer).toEqual({ status: 200, text: '{"ok":true}' });
    expect(seen.find((request) => request.path === '/ok')?.authorization).toBe('Bearer tok-1');
    expect((await requestTarget(`${base}/moved`, { accept: 'application/json', credentials: { type: 'none' }, timeoutMs: 2_000 })).status).toBe(302);
    expect(seen.some((request) => request.path === '/elsewhere')).toBe(false);
    await expect(requestTarget(`${base}/huge`, { accept: 'application/json', credentials: { type: 'none' }, timeoutMs: 2_000 })).rejects.toThrow(/more than/);
  });

  it('names a refused connection, and a port fetch will not connect to', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const options = { accept: 'application/json', credentials: { type: 'none' }, timeoutMs: 2_000 } as const;
    await expect(requestTarget(`http://127.0.0.1:${port}/actuator/circuitbreakers`, options)).rejects.toThrow(`GET http://127.0.0.1:${port}/actuator/circuitbreakers: connection refused`);
    await expect(requestTarget('http://127.0.0.1:6000/actuator/circuitbreakers', options)).rejects.toThrow('list of blocked ports');
  });
});
