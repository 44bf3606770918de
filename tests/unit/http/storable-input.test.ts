import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ZBreakerListQuery, ZTransitionQuery } from '../../../lib/api/breaker-list';
import { ZCallTrendsQuery } from '../../../lib/api/call-trends';
import { ZMetricsQuery } from '../../../lib/api/metrics-series';
import { ZCreateApiKey } from '../../../lib/auth/api-keys';
import { ZSignInRequest } from '../../../lib/auth/session';
import { ZInviteUser } from '../../../lib/auth/users';
import { ZAuditQuery } from '../../../lib/control/audit';
import { ZActionRequest } from '../../../lib/control/operator-action';
import { ZHistoryFilter } from '../../../lib/history/history-range';
import { ZLiveSubscribe } from '../../../lib/live/dashboard-events';
import { ZCreateEndpoint } from '../../../lib/notify/endpoints';
import { ZCreateRule } from '../../../lib/notify/rules';
import { ZCreateSnooze } from '../../../lib/notify/snoozes';
import { ZInstanceRegister } from '../../../lib/protocol/instance-register';
import { isStorableText, MAX_EPOCH_MS } from '../../../lib/protocol/storable';
import { createRouter } from '../../../server/http/router';
import { HttpError } from '../../../server/http/http-error';
import { instanceRun } from '../../fixtures/protocol-messages';

const LONE = 'a\uD800';
const NUL = 'a\u0000b';

/** The path of the first issue, or null when the input is accepted. */
function refusedAt(schema: z.ZodType, input: unknown): Array<PropertyKey> | null {
  const parsed = schema.safeParse(input);
  return parsed.success ? null : parsed.error.issues[0]!.path;
}

describe('isStorableText', () => {
  it('refuses lone surrogates and NUL, and takes every well-formed text', () => {
    expect([LONE, '\uDC00', 'x\uDBFF', NUL, '\u0000'].map(isStorableText)).toEqual([false, false, false, false, false]);
    expect(['', 'payments', '😀', 'zahlungsdienst-ü', '\u0001\u007f', '\uFFFD'].map(isStorableText)).toEqual([true, true, true, true, true, true]);
  });
});

describe('every input schema refuses text Postgres cannot store, naming the field', () => {
  const action = { action: 'trip', scope: { all: true }, reason: 'payments incident' };
  it.each<[string, z.ZodType, unknown, Array<PropertyKey>]>([
    ['breaker list query', ZBreakerListQuery, { service: LONE }, ['service']],
    ['transition query', ZTransitionQuery, { breaker: NUL }, ['breaker']],
    ['trends query', ZCallTrendsQuery, { ids: NUL }, ['ids']],
    ['history filter', ZHistoryFilter, { from: '0', to: '1000', service: NUL }, ['service']],
    ['audit query', ZAuditQuery, { user: LONE }, ['user']],
    ['sign-in', ZSignInRequest, { email: NUL, password: 'x' }, ['email']],
    ['invite', ZInviteUser, { email: 'a@example.test', name: LONE, role: 'viewer' }, ['name']],
    ['API key', ZCreateApiKey, { service: 'checkout', description: NUL }, ['description']],
    ['operator action', ZActionRequest, { ...action, reason: `why ${LONE}` }, ['reason']],
    ['operator action scope', ZActionRequest, { ...action, scope: { instances: [NUL] } }, ['scope', 'instances', 0]],
    ['webhook endpoint', ZCreateEndpoint, { name: 'ops', url: 'https://example.test/\u0000', events: ['breaker.tripped'] }, ['url']],
    ['rule', ZCreateRule, { name: 'r', condition: { kind: 'open_too_long', openForSeconds: 60 }, services: [LONE] }, ['services', 0]],
    ['snooze', ZCreateSnooze, { target: { kind: 'rule', ruleId: '00000000-0000-4000-8000-000000000000' }, durationSeconds: 60, reason: NUL }, ['reason']],
    ['dashboard subscription', ZLiveSubscribe, { scope: { kind: 'service', service: LONE } }, ['scope', 'service']],
  ])('%s', (_, schema, input, path) => {
    expect(refusedAt(schema, input)).toEqual(path);
  });

  it('refuses query times past the year 2200, or not whole', () => {
    expect(refusedAt(ZMetricsQuery, { from: '0', to: String(MAX_EPOCH_MS + 1) })).toEqual(['to']);
    expect(refusedAt(ZHistoryFilter, { from: '1e300', to: '1e301' })).toEqual(['from']);
    expect(refusedAt(ZAuditQuery, { from: '8640000000000001' })).toEqual(['from']);
    expect(refusedAt(ZMetricsQuery, { from: '0', to: String(MAX_EPOCH_MS) })).toBeNull();
  });

  it('refuses a registration that names a breaker twice', () => {
    const run = instanceRun('checkout');
    expect(refusedAt(ZInstanceRegister, run.register(['payments', 'ledger', 'payments']))).toEqual(['breakers', 2, 'name']);
  });
});

describe('router path segments', () => {
  const router = createRouter();
  router.add('GET', '/api/v1/things/:id', async () => {});
  const refusal = async (path: string) => {
    const url = new URL(path, 'http://panel.test');
    try {
      await router.handle({ method: 'GET' } as never, {} as never, url);
      return null;
    } catch (error) {
      return error instanceof HttpError ? [error.status, error.message] : error;
    }
  };

  it('answers 400 for a segment that is badly escaped or decodes to text Postgres cannot store', async () => {
    expect(await refusal('/api/v1/things/%E0%A4%A')).toEqual([400, 'Invalid path: id: not a valid percent-encoded segment']);
    expect(await refusal('/api/v1/things/a%00b')).toEqual([400, 'Invalid path: id: must be well-formed Unicode text without NUL characters']);
    expect(await refusal('/api/v1/things/%ED%A0%80')).toEqual([400, 'Invalid path: id: not a valid percent-encoded segment']);
    expect(await refusal('/api/v1/things/ok')).toBeNull();
  });
});
