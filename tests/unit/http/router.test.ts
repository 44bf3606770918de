import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../server/http/http-error';
import { uuidParam } from '../../../server/http/route-params';
import { createRouter } from '../../../server/http/router';

const request = (method: string) => ({ method }) as IncomingMessage;
const response = {} as ServerResponse;

describe('the router', () => {
  it('hands a route its decoded parameters', async () => {
    const router = createRouter();
    let seen: Record<string, string> = {};
    router.add('GET', '/api/v1/things/:name', async ({ params }) => void (seen = params));
    expect(await router.handle(request('GET'), response, new URL('http://x/api/v1/things/a%20b'))).toBe(true);
    expect(seen).toEqual({ name: 'a b' });
  });

  it('answers a malformed %-escape with a 400, not an exception', async () => {
    const router = createRouter();
    router.add('GET', '/api/v1/things/:name', async () => {});
    const refused = router.handle(request('GET'), response, new URL('http://x/api/v1/things/%E0%A4%A'));
    await expect(refused).rejects.toBeInstanceOf(HttpError);
    await expect(refused).rejects.toMatchObject({ status: 400 });
  });

  it('lists every route added, in its own path syntax, for the API description to be checked against', () => {
    const router = createRouter();
    router.add('GET', '/api/v1/things', async () => {});
    router.add('DELETE', '/api/v1/things/:id', async () => {});
    expect(router.routes()).toEqual([
      { method: 'GET', path: '/api/v1/things' },
      { method: 'DELETE', path: '/api/v1/things/:id' },
    ]);
  });
});

describe('uuidParam', () => {
  it('passes a row id and answers anything else with a 404 naming what was not found', () => {
    const id = '0b9a3c1e-7a5d-4c1f-9e0a-2f4b6d8c1a3e';
    expect(uuidParam({ id }, 'id', 'breaker')).toBe(id);
    for (const bad of ['', 'x', `${id}x`, id.replaceAll('-', ''), "1' OR 1=1"]) {
      expect(() => uuidParam({ id: bad }, 'id', 'breaker')).toThrow(expect.objectContaining({ status: 404, message: `No breaker with id ${bad}` }) as Error);
    }
  });
});
