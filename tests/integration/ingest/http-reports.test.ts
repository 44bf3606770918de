import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKeys } from '../../../server/auth/api-keys';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { signIn } from '../../fixtures/signed-in';
import { instanceRun } from '../../fixtures/protocol-messages';

describe('POST /api/v1/reports', () => {
  const setup = usePanelOnFreshDatabase({ MAX_MESSAGE_BYTES: '65536' });
  let key: string;

  beforeAll(async () => {
    key = (await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create('search')).key;
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${setup.panel.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const counts = async () =>
    (await setup.database.query<{ instances: number; transitions: number }>('SELECT (SELECT count(*)::int FROM instances) AS instances, (SELECT count(*)::int FROM transitions) AS transitions'))[0];

  it('applies a batch: registration, transitions and reports, and says which transitions are stored', async () => {
    const run = instanceRun('search');
    const response = await post({
      protocolVersion: 1,
      register: run.register(['index-api']),
      transitions: [run.transition('index-api', 'CLOSED', 'OPEN')],
      reports: [run.report([run.breaker('index-api', { failure: 12 }, 'OPEN')])],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, data: { storedTransitions: [1], commands: [] } });
    const list = await (await signIn(setup.panel.url)).getJson<{ breakers: Array<{ name: string; state: string }> }>('/api/v1/breakers?service=search');
    expect(list.breakers).toMatchObject([{ name: 'index-api', state: 'OPEN' }]);
  });

  it('answers 400 naming the field, and changes nothing, for a bad batch', async () => {
    const before = await counts();
    const run = instanceRun('search');
    const bad = { protocolVersion: 1, register: run.register(['index-api']), transitions: [{ ...run.transition('index-api', 'CLOSED', 'OPEN'), to: 'EXPLODED' }] };
    const response = await post(bad);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { ok: false; error: { code: string; message: string; path: unknown[] } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_payload');
    expect(body.error.path).toEqual(['transitions', 0, 'to']);
    expect(body.error.message).toMatch(/transitions\.0\.to/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a batch that names an unregistered instance before applying any of it', async () => {
    const before = await counts();
    const known = instanceRun('search');
    const unknown = instanceRun('search');
    const response = await post({ protocolVersion: 1, register: known.register(['a']), reports: [unknown.report([])] });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_registered');
    expect(await counts()).toEqual(before);
  });

  it('answers 401 without a valid key, 403 for another service, 413 when too large, 400 for another protocol version, all as protocol acknowledgements', async () => {
    expect((await post({ protocolVersion: 1 }, { authorization: '' })).status).toBe(401);
    expect((await post({ protocolVersion: 1 }, { authorization: 'Bearer bp_wrong' })).status).toBe(401);
    const other = instanceRun('checkout');
    const forbidden = await post({ protocolVersion: 1, register: other.register(['a']) });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { message: string } }).error.message).toBe('This API key reports for service "search", not "checkout"');
    const huge = await post({ protocolVersion: 1, padding: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    const future = await post({ protocolVersion: 3 });
    expect(future.status).toBe(400);
    expect(((await future.json()) as { error: { code: string } }).error.code).toBe('unsupported_protocol_version');
    const notJson = await post('{not json');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ ok: false, error: { code: 'invalid_payload', message: 'The body is not valid JSON' } });
    const unauthorized = await post({ protocolVersion: 1 }, { authorization: '' });
    expect(await unauthorized.json()).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Send the API key as "Authorization: Bearer <key>"' } });
  });
});
