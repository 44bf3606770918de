import { describe, expect, it } from 'vitest';
import { ZNotificationEvent, ZSlackBody, type TNotificationEvent } from '../../../lib/notify/notification-event.js';
import { overrideDraft } from '../../../server/notify/override-draft';
import { renderBody } from '../../../server/notify/render-body';

const event: TNotificationEvent = {
  id: '3f1e0c3a-0000-4000-8000-000000000001',
  type: 'breaker.tripped',
  at: 1795430000000,
  service: 'checkout',
  breaker: { id: 'b1', name: 'payments-api' },
  state: 'OPEN',
  instances: { total: 3, stale: 0, byState: { CLOSED: 1, OPEN: 2, HALF_OPEN: 0, FORCED_OPEN: 0, FORCED_CLOSED: 0 } },
  text: '🔴 checkout / payments-api tripped (failure rate 62.5 %)',
  cause: 'failure_rate',
  failureRate: 62.5,
  slowCallRate: 0,
};

describe('webhook bodies', () => {
  it('sends the generic event as JSON, and a Slack body with the same text', () => {
    expect(ZNotificationEvent.parse(JSON.parse(renderBody(event, 'json')))).toEqual(event);
    const slack = ZSlackBody.parse(JSON.parse(renderBody(event, 'slack')));
    expect(slack.text).toBe(event.text);
    expect(JSON.stringify(slack.blocks)).toContain('2 open');
  });
});

describe('override events from the panel’s transition rows', () => {
  const record = { id: '1', breakerId: 'b1', service: 'checkout', breaker: 'payments-api', instance: null, wouldBe: null, failureRate: null, slowCallRate: null, at: 1 } as const;
  const override = { id: 'o1', breakerId: 'b1', state: 'FORCED_OPEN', scope: { all: true }, reason: 'INC-7', by: 'alice@example.test', createdAt: 1, expiresAt: 3_601_000, commandId: 'c1' } as const;

  it('names the start, the release and the expiry', () => {
    expect(overrideDraft({ ...record, from: null, to: 'FORCED_OPEN', cause: 'manual' }, override)).toEqual({
      type: 'breaker.overridden',
      override: { state: 'FORCED_OPEN', reason: 'INC-7', by: 'alice@example.test', expiresAt: 3_601_000 },
    });
    expect(overrideDraft({ ...record, from: 'FORCED_OPEN', to: 'CLOSED', cause: 'manual' }, null)).toEqual({ type: 'breaker.override_ended', how: 'released', previous: 'FORCED_OPEN' });
    expect(overrideDraft({ ...record, from: 'FORCED_CLOSED', to: 'CLOSED', cause: 'override_expired' }, null)).toEqual({ type: 'breaker.override_ended', how: 'expired', previous: 'FORCED_CLOSED' });
    expect(overrideDraft({ ...record, from: 'OPEN', to: 'CLOSED', cause: 'trials_succeeded' }, null)).toBeNull();
  });
});
