import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OpenApiDocument, OpenApiOperation } from '../../../lib/api/openapi/document.js';
import { SESSION_COOKIE } from '../../../server/auth/request-facts';
import type { RunningPanel } from '../../../server/panel-server';
import { startTestPanel } from '../../fixtures/panel';
import { instanceRun } from '../../fixtures/protocol-messages';
import { signIn, TEST_ADMIN, type SignedInClient } from '../../fixtures/signed-in';
import { eventually } from '../../fixtures/source-panel';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

/** One documented operation, found by its operationId. */
interface Documented {
  path: string;
  method: string;
  operation: OpenApiOperation;
}

/** What one call answered, with the operation it was checked against. */
interface Answer {
  status: number;
  body: unknown;
}

// JSON Schema formats zod writes: checked here, as a client's validator would.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUri = (text: string) => URL.canParse(text);

describe('the OpenAPI document at /api/openapi.json', () => {
  let database: TestDatabase;
  let panel: RunningPanel;
  let admin: SignedInClient;
  let document: OpenApiDocument;
  const byId = new Map<string, Documented>();
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajv.addFormat('uuid', UUID).addFormat('uri', isUri);
  const validators = new Map<string, ValidateFunction>();
  /** Operations a call was checked against, with the statuses seen. */
  const called = new Map<string, Set<number>>();

  beforeAll(async () => {
    database = await createEmptyDatabase(inject('postgresAdminUrl'));
    panel = await startTestPanel({ DATABASE_URL: database.url });
    admin = await signIn(panel.url);
    // Served without a session, as a reporter's developer would read it.
    document = (await (await fetch(`${panel.url}/api/openapi.json`)).json()) as OpenApiDocument;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) byId.set(operation.operationId, { path, method, operation });
    }
  });
  afterAll(async () => {
    await panel?.stop();
    await database?.drop();
  });

  /** The documented schema of an answer, with the shared error shapes' references resolved. */
  function validatorFor(operationId: string, status: number, type: string): ValidateFunction | null {
    const documented = byId.get(operationId);
    if (!documented) throw new Error(`${operationId} is not in the document`);
    const response = documented.operation.responses[String(status)];
    if (!response) throw new Error(`${operationId} answered ${status}, which the document does not list (it lists ${Object.keys(documented.operation.responses).join(', ')})`);
    const content = response.content?.[type];
    if (!content) throw new Error(`${operationId} ${status} answered ${type}, which the document does not list`);
    if (!content.schema) return null;
    const key = `${operationId} ${status} ${type}`;
    let validate = validators.get(key);
    if (!validate) {
      const resolved = JSON.parse(JSON.stringify(content.schema), (_name, value: unknown) => {
        const ref = (value as { $ref?: unknown } | null)?.$ref;
        return typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? document.components.schemas[ref.slice('#/components/schemas/'.length)] : value;
      }) as Record<string, unknown>;
      validate = ajv.compile(resolved);
      validators.set(key, validate);
    }
    return validate;
  }

  /**
   * Calls a documented operation (its path parameters filled from `params`)
   * and checks the answer against the schema the document gives for its
   * status and media type.
   */
  async function call(
    operationId: string,
    {
      params = {},
      query = {},
      body,
      as = 'admin',
      headers = {},
      expectStatus,
    }: {
      params?: Record<string, string>;
      query?: Record<string, string>;
      body?: unknown;
      as?: 'admin' | 'nobody' | { bearer: string } | SignedInClient;
      headers?: Record<string, string>;
      expectStatus: number;
    },
  ): Promise<Answer> {
    const documented = byId.get(operationId);
    if (!documented) throw new Error(`${operationId} is not in the document`);
    const path = documented.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));
    const search = new URLSearchParams(query).toString();
    const url = `${path}${search ? `?${search}` : ''}`;
    const init = { method: documented.method.toUpperCase(), body, headers };
    let response: Response;
    if (as === 'nobody' || (typeof as === 'object' && 'bearer' in as)) {
      response = await fetch(`${panel.url}${url}`, {
        method: init.method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(as === 'nobody' ? {} : { authorization: `Bearer ${as.bearer}` }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } else {
      response = await (as === 'admin' ? admin : as).request(url, init);
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const text = await response.text();
    const parsed: unknown = type === 'application/json' ? JSON.parse(text) : text;
    expect(response.status, `${operationId}: ${text.slice(0, 500)}`).toBe(expectStatus);
    const validate = validatorFor(operationId, response.status, type);
    if (validate && !validate(parsed)) {
      throw new Error(`${operationId} ${response.status} does not match its documented schema: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 2000)}`);
    }
    if (!called.has(operationId)) called.set(operationId, new Set());
    called.get(operationId)!.add(response.status);
    return { status: response.status, body: parsed };
  }

  it('documents every route the server serves, and nothing it does not', () => {
    const served = panel.apiRoutes.map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    const documented = [...byId.values()].map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort();
    expect(documented).toEqual(served);
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.session).toMatchObject({ in: 'cookie', name: SESSION_COOKIE });
  });

  it('answers every documented operation as documented, from success to the refusals', { timeout: 180_000 }, async () => {
    const now = Date.now();
    const hourAgo = String(now - 3_600_000);
    const range = { from: hourAgo, to: String(now + 60_000) };

    await call('getHealth', { as: 'nobody', expectStatus: 200 });
    await call('getOpenApiDocument', { as: 'nobody', expectStatus: 200 });
    const page = await call('getApiDocs', { as: 'nobody', expectStatus: 200 });
    for (const id of byId.keys()) expect(page.body as string).toContain(`id="${id}"`);
    await call('signIn', { as: 'nobody', body: { email: TEST_ADMIN.email, password: TEST_ADMIN.password }, expectStatus: 200 });
    await call('signIn', { as: 'nobody', body: { email: TEST_ADMIN.email, password: 'not the password' }, expectStatus: 401 });
    await call('getSession', { expectStatus: 200 });

    // A reporter, with a key made through the API, registers a breaker over HTTP and trips it.
    const key = (await call('createApiKey', { body: { service: 'openapi-shop', description: 'the API test' }, expectStatus: 201 })).body as { id: string; key: string };
    const run = instanceRun('openapi-shop');
    await call('postReports', {
      as: { bearer: key.key },
      body: {
        protocolVersion: 1,
        register: run.register(['payments-api']),
        transitions: [run.transition('payments-api', 'CLOSED', 'OPEN')],
        reports: [run.report([run.breaker('payments-api', { success: 3, failure: 9 }, 'OPEN', [0, 4, 8])])],
      },
      expectStatus: 200,
    });
    await call('postReports', { as: { bearer: key.key }, body: { protocolVersion: 1, reports: [{ nonsense: true }] }, expectStatus: 400 });
    await call('postReports', { as: { bearer: 'bp_not_a_key' }, body: { protocolVersion: 1 }, expectStatus: 401 });
    await call('pollCommands', { as: { bearer: key.key }, query: { instanceId: run.ref.instanceId, waitMs: '0' }, expectStatus: 200 });
    await call('pollCommands', { as: { bearer: key.key }, query: { instanceId: 'never-registered', waitMs: '0' }, expectStatus: 409 });

    const list = (await call('listBreakers', { query: { service: 'openapi-shop' }, expectStatus: 200 })).body as { breakers: Array<{ id: string; state: string }> };
    expect(list.breakers).toMatchObject([{ state: 'OPEN' }]);
    const breakerId = list.breakers[0]!.id;
    await call('getBreaker', { params: { id: breakerId }, expectStatus: 200 });
    await call('getBreaker', { params: { id: '00000000-0000-4000-8000-000000000000' }, expectStatus: 404 });
    await call('getBreakerMetrics', { params: { id: breakerId }, query: range, expectStatus: 200 });
    await call('getBreakerTrends', { query: { ids: breakerId }, expectStatus: 200 });
    await call('listTransitions', { query: { service: 'openapi-shop' }, expectStatus: 200 });

    await call('actOnBreaker', {
      params: { id: breakerId },
      body: { action: 'trip', scope: { all: true }, reason: 'checking the API description', expiresIn: 600 },
      headers: { 'idempotency-key': 'openapi-trip' },
      expectStatus: 201,
    });
    await call('actOnBreaker', {
      params: { id: breakerId },
      body: { action: 'trip', scope: { all: true }, reason: 'checking the API description', expiresIn: 600 },
      headers: { 'idempotency-key': 'openapi-trip' },
      expectStatus: 200,
    });
    await call('getBreakerControl', { params: { id: breakerId }, expectStatus: 200 });
    await call('listAudit', { query: { limit: '50' }, expectStatus: 200 });

    await call('getTimeline', { query: { ...range, instances: '1' }, expectStatus: 200 });
    await call('getHistoryExtent', { query: { service: 'openapi-shop' }, expectStatus: 200 });
    await call('listIncidents', { query: range, expectStatus: 200 });
    await call('exportHistory', { query: { ...range, format: 'json', kind: 'transitions' }, expectStatus: 200 });
    await call('exportHistory', { query: { ...range, format: 'json', kind: 'incidents' }, expectStatus: 200 });
    await call('exportHistory', { query: { ...range, format: 'csv', kind: 'incidents' }, expectStatus: 200 });

    await call('listUsers', { expectStatus: 200 });
    const invited = (await call('inviteUser', { body: { email: 'openapi-reader@example.test', role: 'viewer' }, expectStatus: 201 })).body as { user: { id: string } };
    await call('inviteUser', { body: { email: 'openapi-reader@example.test', role: 'viewer' }, expectStatus: 409 });
    await call('updateUser', { params: { id: invited.user.id }, body: { role: 'operator' }, expectStatus: 200 });
    const reset = (await call('resetUserPassword', { params: { id: invited.user.id }, expectStatus: 200 })).body as { temporaryPassword: string };
    await call('listApiKeys', { expectStatus: 200 });

    // An admin adds an OTLP source; the service, with a key of its own, pushes a Polly circuit event to the receiver.
    const noSuchId = '00000000-0000-4000-8000-000000000000';
    const source = (await call('createSource', { body: { kind: 'otlp', name: 'openapi exporters', service: 'openapi-orders', pollIntervalMs: 60_000 }, expectStatus: 201 })).body as {
      source: { id: string };
    };
    await call('createSource', { body: { kind: 'otlp', name: 'openapi exporters', service: 'openapi-orders' }, expectStatus: 409 });
    await call('listSources', { expectStatus: 200 });
    await call('getSource', { params: { id: source.source.id }, expectStatus: 200 });
    await call('getSource', { params: { id: noSuchId }, expectStatus: 404 });
    await call('updateSource', { params: { id: source.source.id }, body: { name: 'openapi exporters (orders)' }, expectStatus: 200 });
    await call('updateSource', { params: { id: noSuchId }, body: { enabled: false }, expectStatus: 404 });
    const ordersKey = (await call('createApiKey', { body: { service: 'openapi-orders', description: 'OTLP exporters' }, expectStatus: 201 })).body as { key: string };
    const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const nanos = String(BigInt(now) * 1_000_000n);
    const circuitOpened = (service: string) => ({
      resourceMetrics: [
        {
          resource: { attributes: [text('service.name', service), text('service.instance.id', 'orders-1')] },
          scopeMetrics: [
            {
              scope: { name: 'Polly' },
              metrics: [
                {
                  name: 'resilience.polly.strategy.events',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        startTimeUnixNano: nanos,
                        timeUnixNano: nanos,
                        asInt: '1',
                        attributes: [text('event.name', 'OnCircuitOpened'), text('pipeline.name', 'orders-http'), text('strategy.name', 'cb-inventory')],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    const exported = await call('postOtlpMetrics', { as: { bearer: ordersKey.key }, body: circuitOpened('openapi-orders'), expectStatus: 200 });
    expect(exported.body).toEqual({});
    await eventually(
      async () => ((await call('listBreakers', { query: { service: 'openapi-orders' }, expectStatus: 200 })).body as { breakers: Array<{ name: string; state: string }> }).breakers,
      (breakers) => breakers.some((breaker) => breaker.name === 'orders-http/cb-inventory' && breaker.state === 'OPEN'),
    );
    // An empty protobuf body is an ExportMetricsServiceRequest with nothing in it, answered in protobuf.
    await call('postOtlpMetrics', { as: { bearer: ordersKey.key }, headers: { 'content-type': 'application/x-protobuf' }, expectStatus: 200 });
    await call('postOtlpMetrics', { as: { bearer: ordersKey.key }, body: { resourceMetrics: [{ scopeMetrics: 'none' }] }, expectStatus: 400 });
    await call('postOtlpMetrics', { as: { bearer: 'bp_not_a_key' }, body: circuitOpened('openapi-orders'), expectStatus: 401 });
    await call('postOtlpMetrics', { as: { bearer: ordersKey.key }, body: circuitOpened('openapi-shop'), expectStatus: 403 });
    await call('postOtlpMetrics', { as: { bearer: ordersKey.key }, body: circuitOpened('openapi-orders'), headers: { 'content-type': 'text/plain' }, expectStatus: 415 });
    await call('deleteSource', { params: { id: source.source.id }, expectStatus: 200 });
    await call('deleteSource', { params: { id: source.source.id }, expectStatus: 404 });
    await call('postOtlpMetrics', { as: { bearer: ordersKey.key }, body: circuitOpened('openapi-orders'), expectStatus: 403 });

    const rule = (await call('createNotificationRule', { body: { name: 'open too long', condition: { kind: 'open_too_long', openForSeconds: 300 } }, expectStatus: 201 })).body as {
      rule: { id: string };
    };
    await call('listNotificationRules', { expectStatus: 200 });
    await call('updateNotificationRule', { params: { id: rule.rule.id }, body: { enabled: false }, expectStatus: 200 });
    const endpoint = (await call('createNotificationEndpoint', { body: { name: 'hook', url: 'http://127.0.0.1:9/hook', events: ['breaker.tripped'], enabled: false }, expectStatus: 201 })).body as {
      endpoint: { id: string };
    };
    await call('listNotificationEndpoints', { expectStatus: 200 });
    await call('updateNotificationEndpoint', { params: { id: endpoint.endpoint.id }, body: { name: 'renamed hook' }, expectStatus: 200 });
    await call('listNotificationDeliveries', { query: { limit: '10' }, expectStatus: 200 });
    const snooze = (await call('createNotificationSnooze', { body: { target: { kind: 'breaker', breakerId }, durationSeconds: 600, reason: 'known outage' }, expectStatus: 201 })).body as {
      snooze: { id: string };
    };
    await call('listNotificationSnoozes', { expectStatus: 200 });
    await call('endNotificationSnooze', { params: { id: snooze.snooze.id }, expectStatus: 200 });
    await call('endNotificationSnooze', { params: { id: snooze.snooze.id }, expectStatus: 404 });
    await call('deleteNotificationEndpoint', { params: { id: endpoint.endpoint.id }, expectStatus: 200 });
    await call('deleteNotificationRule', { params: { id: rule.rule.id }, expectStatus: 200 });
    await call('revokeApiKey', { params: { id: key.id }, expectStatus: 200 });
    await call('pollCommands', { as: { bearer: key.key }, query: { instanceId: run.ref.instanceId, waitMs: '0' }, expectStatus: 401 });

    // The invited user changes the temporary password and signs out.
    const reader = await signIn(panel.url, 'openapi-reader@example.test', reset.temporaryPassword);
    const newPassword = 'another correct horse battery';
    await call('changePassword', { as: reader, body: { currentPassword: 'wrong password here', newPassword }, expectStatus: 403 });
    await call('changePassword', { as: reader, body: { currentPassword: reset.temporaryPassword, newPassword }, expectStatus: 200 });
    await call('signOut', { as: reader, expectStatus: 200 });
    await call('getSession', { as: reader, expectStatus: 401 });

    expect([...byId.keys()].filter((id) => !called.has(id))).toEqual([]);
  });

  it('refuses bad input with the documented error shape, naming the field', async () => {
    for (const [operationId, { operation }] of byId) {
      const hasPathId = operation.parameters.some((parameter) => parameter.in === 'path');
      const params = { id: '00000000-0000-4000-8000-000000000000' };
      if (operation.requestBody && operation.security.some((requirement) => 'session' in requirement)) {
        const answer = await call(operationId, { params, body: { unexpected: ['shape'] }, expectStatus: 400 });
        expect((answer.body as { error: { details?: { issues?: unknown[] } } }).error.details?.issues?.length ?? 0).toBeGreaterThan(0);
      }
      const required = operation.parameters.filter((parameter) => parameter.in === 'query' && parameter.required);
      if (required.length && !hasPathId && operation.security.some((requirement) => 'session' in requirement)) {
        const answer = await call(operationId, { params, query: {}, expectStatus: 400 });
        expect(JSON.stringify(answer.body)).toContain(required[0]!.name);
      }
      if (operation.security.some((requirement) => 'session' in requirement)) {
        await call(operationId, { params, as: 'nobody', body: operation.requestBody ? {} : undefined, expectStatus: 401 });
      }
    }
  });
});
