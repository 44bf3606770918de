import type { TEndpointFormat } from '../../lib/notify/endpoints.js';
import { ZNotificationEvent, ZSlackBody, type TNotificationEvent, type TSlackBody } from '../../lib/notify/notification-event.js';

function slackBody(event: TNotificationEvent): TSlackBody {
  const counts = event.instances.byState;
  const facts = [
    `*state* ${event.state ?? 'no live instance'}`,
    `*instances* ${event.instances.total - event.instances.stale} live, ${(counts.OPEN ?? 0) + (counts.HALF_OPEN ?? 0)} open`,
    `*event* \`${event.type}\``,
  ];
  return {
    text: event.text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: event.text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: facts.join(' · ') }] },
    ],
  };
}

/**
 * The exact body text for an endpoint's format. Both shapes are checked
 * against their lib/ schema on the way out: receivers were promised them.
 */
export function renderBody(event: TNotificationEvent, format: TEndpointFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(ZNotificationEvent.parse(event));
    case 'slack':
      return JSON.stringify(ZSlackBody.parse(slackBody(event)));
    default: {
      const unknown: never = format;
      throw new Error(`unknown format ${String(unknown)}`);
    }
  }
}
