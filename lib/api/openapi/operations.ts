import { z } from 'zod';
import { ZApiKeyListItem, ZCreateApiKey, ZCreatedApiKey } from '../../auth/api-keys';
import type { TRole } from '../../auth/roles';
import { ZChangePassword, ZCurrentSession, ZSignInRequest } from '../../auth/session';
import { ZInvitedUser, ZInviteUser, ZPasswordReset, ZUpdateUser, ZUserListItem } from '../../auth/users';
import { ZAuditEntry, ZAuditQuery } from '../../control/audit';
import { ZActionRequest, ZActionResult, ZBreakerControl } from '../../control/operator-action';
import { ZHealth } from '../../health';
import { ZExportQuery, ZIncidentsExport, ZTransitionsExport } from '../../history/export-query';
import { ZHistoryExtent, ZHistoryExtentQuery } from '../../history/extent';
import { ZIncidentList, ZIncidentQuery } from '../../history/incidents';
import { ZTimeline, ZTimelineQuery } from '../../history/timeline';
import { ZDeliveryQuery, ZNotificationDeliveryView } from '../../notify/deliveries';
import { ZCreatedEndpoint, ZCreateEndpoint, ZEndpointView, ZUpdateEndpoint } from '../../notify/endpoints';
import { ZCreateRule, ZRuleView, ZUpdateRule } from '../../notify/rules';
import { ZCreateSnooze, ZSnoozeView } from '../../notify/snoozes';
import { ZAckError } from '../../protocol/ack';
import { ZCommandPollQuery, ZCommandPollResult } from '../../protocol/command-poll';
import { ZReportBatch, ZReportBatchResult } from '../../protocol/report-batch';
import { ZExportMetricsResponse } from '../../sources/otlp-export-response';
import { ZCreateSource, ZSourceAnswer, ZSourceList, ZUpdateSource } from '../../sources/source';
import { ZBreakerDetail } from '../breaker-detail';
import { ZBreakerList, ZBreakerListQuery, ZTransitionQuery } from '../breaker-list';
import { ZCallTrends, ZCallTrendsQuery } from '../call-trends';
import { ZMetricsQuery, ZMetricsSeries } from '../metrics-series';
import { ZTransitionRecord } from '../transition-record';

/** Who may call an operation: anyone, a signed-in operator (session cookie), or a reporter (API key as a bearer token). */
export type ApiAuth = 'public' | 'session' | 'apiKey';

export interface ApiResponse {
  description: string;
  /** The JSON body; omitted for a body of another type (`contentType`). */
  schema?: z.ZodType;
  /** Other media types this status answers with, each with an optional JSON schema. */
  content?: Record<string, z.ZodType | null>;
  headers?: Record<string, string>;
}

/** One HTTP route of the panel, as the OpenAPI document describes it. */
export interface ApiOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** In the router's syntax: `:name` for a path parameter. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  auth: ApiAuth;
  /** The least role a session needs. */
  role?: TRole;
  query?: z.ZodType;
  /** The JSON body. */
  body?: z.ZodType;
  /** A body in media types other than (or besides) JSON, each with an optional JSON schema. */
  bodyContent?: Record<string, z.ZodType | null>;
  /** Request headers the route reads besides authentication. */
  headers?: Record<string, string>;
  responses: Record<number, ApiResponse>;
  /** Statuses answered with the error shape, and why. */
  errors: Record<number, string>;
}

/** Every API error outside the reporters' routes: a stable code, a message safe to show, and details such as the offending fields. */
export const ZApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** A reporters' route's refusal, shaped like a socket acknowledgement. */
export const ZAgentFailure = z.object({ ok: z.literal(false), error: ZAckError });

const agentSuccess = <Data extends z.ZodType>(data: Data) => z.object({ ok: z.literal(true), data });

const ZOk = z.object({ ok: z.literal(true) });
const ZDeleted = z.object({ deleted: z.literal(true) });

const ok = (schema: z.ZodType, description = 'Done'): Record<number, ApiResponse> => ({ 200: { description, schema } });
const created = (schema: z.ZodType, description = 'Created'): Record<number, ApiResponse> => ({ 201: { description, schema } });

/** The refusals every session route shares. */
const SESSION_ERRORS = {
  401: 'No session, or it expired (code `unauthenticated`)',
  403: 'The role is too low (`forbidden`), or a change without the CSRF token or from another site (`csrf`)',
  503: 'The database is unavailable; Retry-After says when to retry',
};
const QUERY_ERRORS = { 400: 'A query parameter is invalid; `details.issues` names each one (code `invalid_request`)' };
const BODY_ERRORS = {
  400: 'The body is not JSON (`invalid_json`) or a field is invalid; `details.issues` names each one (`invalid_request`)',
  413: 'The body is larger than the route accepts (`payload_too_large`)',
  415: 'The body is not sent as application/json (`unsupported_media_type`)',
};
const notFound = (what: string) => ({ 404: `No ${what} with this id (code \`not_found\`)` });
const AGENT_ERRORS = {
  400: 'Invalid payload or unsupported protocol version; `error.path` names the field',
  401: 'No API key, or an unknown or revoked one (code `unauthorized`)',
  503: 'The database is unavailable or the server is busy; Retry-After says when to retry',
};

/** The route table: every route the panel's router serves, in the order the document lists them. */
export const API_OPERATIONS: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/health',
    operationId: 'getHealth',
    tag: 'Health',
    auth: 'public',
    summary: 'Whether the panel and its database answer (for load balancers; HEAD works too)',
    responses: { 200: { description: 'The panel and its database answer', schema: ZHealth }, 503: { description: 'The database does not answer; Retry-After is set', schema: ZHealth } },
    errors: {},
  },
  {
    method: 'GET',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'API description',
    auth: 'public',
    summary: 'This document',
    responses: { 200: { description: 'The OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) } },
    errors: {},
  },
  {
    method: 'GET',
    path: '/api/docs',
    operationId: 'getApiDocs',
    tag: 'API description',
    auth: 'public',
    summary: 'This document as a page to read',
    responses: { 200: { description: 'Every operation with its parameters and schemas', content: { 'text/html': null } } },
    errors: {},
  },

  // Sign-in and the signed-in user.
  {
    method: 'POST',
    path: '/api/v1/auth/sign-in',
    operationId: 'signIn',
    tag: 'Sessions',
    auth: 'public',
    summary: 'Signs in; sets the session cookie and answers with the CSRF token to send on changes',
    body: ZSignInRequest,
    responses: { 200: { description: 'Signed in; Set-Cookie carries the session', schema: ZCurrentSession, headers: { 'set-cookie': 'The session cookie `bp_session` (HttpOnly, SameSite=Lax)' } } },
    errors: {
      ...BODY_ERRORS,
      401: 'Wrong e-mail or password (code `invalid_credentials`)',
      403: 'A cross-site request (code `cross_site`)',
      429: 'Too many failed sign-ins; Retry-After says when to retry (`too_many_attempts`)',
      503: SESSION_ERRORS[503],
    },
  },
  {
    method: 'POST',
    path: '/api/v1/auth/sign-out',
    operationId: 'signOut',
    tag: 'Sessions',
    auth: 'session',
    role: 'viewer',
    summary: 'Ends this session and clears its cookie',
    responses: ok(ZOk, 'Signed out'),
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/api/v1/auth/password',
    operationId: 'changePassword',
    tag: 'Sessions',
    auth: 'session',
    role: 'viewer',
    summary: "Changes one's own password and ends every other session",
    body: ZChangePassword,
    responses: ok(ZOk, 'Changed'),
    errors: {
      ...SESSION_ERRORS,
      ...BODY_ERRORS,
      403: 'The current password is wrong (`wrong_password`), or as for every change (`forbidden`, `csrf`)',
      429: 'Too many wrong passwords (`too_many_attempts`)',
    },
  },
  {
    method: 'GET',
    path: '/api/v1/auth/session',
    operationId: 'getSession',
    tag: 'Sessions',
    auth: 'session',
    role: 'viewer',
    summary: 'Who is signed in, the CSRF token and when the session ends',
    responses: ok(ZCurrentSession, 'The session'),
    errors: { ...SESSION_ERRORS },
  },

  // Breakers: live state and history of calls.
  {
    method: 'GET',
    path: '/api/v1/breakers',
    operationId: 'listBreakers',
    tag: 'Breakers',
    auth: 'session',
    role: 'viewer',
    summary: 'Every breaker with its live state, instance counts and recent rates',
    query: ZBreakerListQuery,
    responses: ok(ZBreakerList, 'The breakers, the unhealthiest first unless sort=name'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS },
  },
  {
    method: 'GET',
    path: '/api/v1/breakers/:id',
    operationId: 'getBreaker',
    tag: 'Breakers',
    auth: 'session',
    role: 'viewer',
    summary: 'One breaker: its summary, configuration, instances and latest 50 transitions',
    responses: ok(ZBreakerDetail, 'The breaker'),
    errors: { ...SESSION_ERRORS, ...notFound('breaker') },
  },
  {
    method: 'GET',
    path: '/api/v1/breakers/:id/metrics',
    operationId: 'getBreakerMetrics',
    tag: 'Breakers',
    auth: 'session',
    role: 'viewer',
    summary: "A breaker's calls, outcomes and latency percentiles per step over a range",
    query: ZMetricsQuery,
    responses: ok(ZMetricsSeries, 'The series, read from the coarsest stored resolution that fits the step'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS, ...notFound('breaker') },
  },
  {
    method: 'GET',
    path: '/api/v1/breaker-trends',
    operationId: 'getBreakerTrends',
    tag: 'Breakers',
    auth: 'session',
    role: 'viewer',
    summary: 'Calls per second per 10 s over the last 15 minutes, for up to 200 breakers',
    query: ZCallTrendsQuery,
    responses: ok(ZCallTrends, 'One series per asked breaker, oldest first'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS },
  },
  {
    method: 'GET',
    path: '/api/v1/transitions',
    operationId: 'listTransitions',
    tag: 'Breakers',
    auth: 'session',
    role: 'viewer',
    summary: 'Stored state transitions, newest first',
    query: ZTransitionQuery,
    responses: ok(z.object({ transitions: z.array(ZTransitionRecord) }), 'The transitions'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS },
  },

  // Operator control.
  {
    method: 'POST',
    path: '/api/v1/breakers/:id/actions',
    operationId: 'actOnBreaker',
    tag: 'Control',
    auth: 'session',
    role: 'operator',
    summary: 'Trips, forces closed, resets or releases a breaker on some or all of its instances; audited',
    body: ZActionRequest,
    headers: { 'idempotency-key': 'Optional, 1–200 characters: a retry with the same key does nothing again and answers 200 with `repeated: true`' },
    responses: { 201: { description: 'The command was issued', schema: ZActionResult }, 200: { description: 'The idempotency key was seen before; nothing was done again', schema: ZActionResult } },
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS, ...notFound('breaker'), 409: 'The Idempotency-Key was used for another breaker (`idempotency_key_reused`)' },
  },
  {
    method: 'GET',
    path: '/api/v1/breakers/:id/control',
    operationId: 'getBreakerControl',
    tag: 'Control',
    auth: 'session',
    role: 'viewer',
    summary: 'The override in force on a breaker and its last command with the deliveries',
    responses: ok(ZBreakerControl, 'The control state'),
    errors: { ...SESSION_ERRORS, ...notFound('breaker') },
  },
  {
    method: 'GET',
    path: '/api/v1/audit',
    operationId: 'listAudit',
    tag: 'Control',
    auth: 'session',
    role: 'viewer',
    summary: 'The audit trail of manual actions, newest first',
    query: ZAuditQuery,
    responses: ok(z.object({ entries: z.array(ZAuditEntry) }), 'The entries'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS },
  },

  // History.
  {
    method: 'GET',
    path: '/api/v1/history/timeline',
    operationId: 'getTimeline',
    tag: 'History',
    auth: 'session',
    role: 'viewer',
    summary: 'Swimlanes of breaker (and optionally instance) states over a range, with trips, actions and deploys',
    query: ZTimelineQuery,
    responses: ok(ZTimeline, 'The timeline'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS },
  },
  {
    method: 'GET',
    path: '/api/v1/history/extent',
    operationId: 'getHistoryExtent',
    tag: 'History',
    auth: 'session',
    role: 'viewer',
    summary: 'Since when the panel holds data for the filters, so that the history opens on a range that fits it',
    query: ZHistoryExtentQuery,
    responses: ok(ZHistoryExtent, '`earliest` is the first report of the earliest breaker in scope, null when none reported yet'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS },
  },
  {
    method: 'GET',
    path: '/api/v1/history/incidents',
    operationId: 'listIncidents',
    tag: 'History',
    auth: 'session',
    role: 'viewer',
    summary: 'Incidents (a breaker away from CLOSED) over a range, with a summary',
    query: ZIncidentQuery,
    responses: ok(ZIncidentList, 'The incidents'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS },
  },
  {
    method: 'GET',
    path: '/api/v1/history/export',
    operationId: 'exportHistory',
    tag: 'History',
    auth: 'session',
    role: 'viewer',
    summary: 'Transitions or incidents over a range as a CSV or JSON download',
    query: ZExportQuery,
    responses: {
      200: {
        description: 'The download (Content-Disposition: attachment)',
        content: {
          'application/json': z.union([ZTransitionsExport, ZIncidentsExport]),
          'text/csv': null,
        },
      },
    },
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS, 413: 'More than 100,000 transitions: narrow the range or the filters (`export_too_large`)' },
  },

  // Users and reporter keys (admins).
  {
    method: 'GET',
    path: '/api/v1/users',
    operationId: 'listUsers',
    tag: 'Users',
    auth: 'session',
    role: 'admin',
    summary: 'Every user with role and last sign-in',
    responses: ok(z.object({ users: z.array(ZUserListItem) }), 'The users'),
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    operationId: 'inviteUser',
    tag: 'Users',
    auth: 'session',
    role: 'admin',
    summary: 'Invites a user; the answer holds a temporary password, shown once',
    body: ZInviteUser,
    responses: created(ZInvitedUser, 'Invited'),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS, 409: 'A user with this e-mail exists (`user_exists`)' },
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/:id',
    operationId: 'updateUser',
    tag: 'Users',
    auth: 'session',
    role: 'admin',
    summary: "Changes a user's role or disables the user (ending their sessions)",
    body: ZUpdateUser,
    responses: ok(z.object({ user: ZUserListItem }), 'Changed'),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS, ...notFound('user'), 409: 'The last active admin (`last_admin`) or oneself (`self`)' },
  },
  {
    method: 'POST',
    path: '/api/v1/users/:id/password-reset',
    operationId: 'resetUserPassword',
    tag: 'Users',
    auth: 'session',
    role: 'admin',
    summary: "Replaces a user's password with a temporary one, shown once, and ends their sessions",
    responses: ok(ZPasswordReset, 'Reset'),
    errors: { ...SESSION_ERRORS, ...notFound('user'), 409: "One's own password (`self`): change it on the account page" },
  },
  {
    method: 'GET',
    path: '/api/v1/api-keys',
    operationId: 'listApiKeys',
    tag: 'API keys',
    auth: 'session',
    role: 'admin',
    summary: 'Every reporter key, by its prefix; keys themselves are never listed',
    responses: ok(z.object({ keys: z.array(ZApiKeyListItem) }), 'The keys'),
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/api/v1/api-keys',
    operationId: 'createApiKey',
    tag: 'API keys',
    auth: 'session',
    role: 'admin',
    summary: 'Creates a reporter key for one service; the key is in this answer only',
    body: ZCreateApiKey,
    responses: created(ZCreatedApiKey, 'Created'),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS },
  },
  {
    method: 'DELETE',
    path: '/api/v1/api-keys/:id',
    operationId: 'revokeApiKey',
    tag: 'API keys',
    auth: 'session',
    role: 'admin',
    summary: 'Revokes a reporter key; its reporters are refused from then on',
    responses: ok(ZOk, 'Revoked'),
    errors: { ...SESSION_ERRORS, 404: 'No such key, or it is already revoked (`not_found`)' },
  },

  // Notifications.
  {
    method: 'GET',
    path: '/api/v1/notifications/rules',
    operationId: 'listNotificationRules',
    tag: 'Notifications',
    auth: 'session',
    role: 'viewer',
    summary: 'Notification rules',
    responses: ok(z.object({ rules: z.array(ZRuleView) }), 'The rules'),
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/api/v1/notifications/rules',
    operationId: 'createNotificationRule',
    tag: 'Notifications',
    auth: 'session',
    role: 'admin',
    summary: 'Creates a rule; audited',
    body: ZCreateRule,
    responses: created(z.object({ rule: ZRuleView })),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS },
  },
  {
    method: 'PATCH',
    path: '/api/v1/notifications/rules/:id',
    operationId: 'updateNotificationRule',
    tag: 'Notifications',
    auth: 'session',
    role: 'admin',
    summary: 'Changes a rule; audited',
    body: ZUpdateRule,
    responses: ok(z.object({ rule: ZRuleView }), 'Changed'),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS, ...notFound('notification rule') },
  },
  {
    method: 'DELETE',
    path: '/api/v1/notifications/rules/:id',
    operationId: 'deleteNotificationRule',
    tag: 'Notifications',
    auth: 'session',
    role: 'admin',
    summary: 'Deletes a rule; audited',
    responses: ok(ZDeleted, 'Deleted'),
    errors: { ...SESSION_ERRORS, ...notFound('notification rule') },
  },
  {
    method: 'GET',
    path: '/api/v1/notifications/endpoints',
    operationId: 'listNotificationEndpoints',
    tag: 'Notifications',
    auth: 'session',
    role: 'admin',
    summary: 'Webhook endpoints (admins only: a webhook URL is often a secret)',
    responses: ok(z.object({ endpoints: z.array(ZEndpointView) }), 'The endpoints'),
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/api/v1/notifications/endpoints',
    operationId: 'createNotificationEndpoint',
    tag: 'Notifications',
    auth: 'session',
    role: 'admin',
    summary: 'Creates a webhook endpoint; the signing secret is in this answer only; audited',
    body: ZCreateEndpoint,
    responses: created(ZCreatedEndpoint),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS },
  },
  {
    method: 'PATCH',
    path: '/api/v1/notifications/endpoints/:id',
    operationId: 'updateNotificationEndpoint',
    tag: 'Notifications',
    auth: 'session',
    role: 'admin',
    summary: 'Changes a webhook endpoint; audited',
    body: ZUpdateEndpoint,
    responses: ok(z.object({ endpoint: ZEndpointView }), 'Changed'),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS, ...notFound('notification endpoint') },
  },
  {
    method: 'DELETE',
    path: '/api/v1/notifications/endpoints/:id',
    operationId: 'deleteNotificationEndpoint',
    tag: 'Notifications',
    auth: 'session',
    role: 'admin',
    summary: 'Deletes a webhook endpoint; audited',
    responses: ok(ZDeleted, 'Deleted'),
    errors: { ...SESSION_ERRORS, ...notFound('notification endpoint') },
  },
  {
    method: 'GET',
    path: '/api/v1/notifications/deliveries',
    operationId: 'listNotificationDeliveries',
    tag: 'Notifications',
    auth: 'session',
    role: 'admin',
    summary: 'The webhook delivery log, newest first',
    query: ZDeliveryQuery,
    responses: ok(z.object({ deliveries: z.array(ZNotificationDeliveryView) }), 'The deliveries'),
    errors: { ...SESSION_ERRORS, ...QUERY_ERRORS },
  },
  {
    method: 'GET',
    path: '/api/v1/notifications/snoozes',
    operationId: 'listNotificationSnoozes',
    tag: 'Notifications',
    auth: 'session',
    role: 'viewer',
    summary: 'Snoozes in force',
    responses: ok(z.object({ snoozes: z.array(ZSnoozeView) }), 'The snoozes'),
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/api/v1/notifications/snoozes',
    operationId: 'createNotificationSnooze',
    tag: 'Notifications',
    auth: 'session',
    role: 'operator',
    summary: "Silences a rule's or a breaker's notifications for a while; audited",
    body: ZCreateSnooze,
    responses: created(z.object({ snooze: ZSnoozeView })),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS, 404: 'No such rule or breaker (`not_found`)' },
  },
  {
    method: 'DELETE',
    path: '/api/v1/notifications/snoozes/:id',
    operationId: 'endNotificationSnooze',
    tag: 'Notifications',
    auth: 'session',
    role: 'operator',
    summary: 'Lifts a snooze; audited',
    responses: ok(z.object({ ended: z.literal(true) }), 'Lifted'),
    errors: { ...SESSION_ERRORS, ...notFound('snooze in force') },
  },

  // Sources (admins).
  {
    method: 'GET',
    path: '/api/v1/sources',
    operationId: 'listSources',
    tag: 'Sources',
    auth: 'session',
    role: 'admin',
    summary: 'Every source the panel reads without the SDK, with its last error; credentials only by their type',
    responses: ok(ZSourceList, 'The sources'),
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'GET',
    path: '/api/v1/sources/:id',
    operationId: 'getSource',
    tag: 'Sources',
    auth: 'session',
    role: 'admin',
    summary: 'One source',
    responses: ok(ZSourceAnswer, 'The source'),
    errors: { ...SESSION_ERRORS, ...notFound('source') },
  },
  {
    method: 'POST',
    path: '/api/v1/sources',
    operationId: 'createSource',
    tag: 'Sources',
    auth: 'session',
    role: 'admin',
    summary: 'Adds a source and starts reading it; credentials are sealed and never returned; audited',
    body: ZCreateSource,
    responses: created(ZSourceAnswer),
    errors: { ...SESSION_ERRORS, ...BODY_ERRORS, 409: 'A source with this name exists (`source_exists`; `details.issues` names `name`)' },
  },
  {
    method: 'PATCH',
    path: '/api/v1/sources/:id',
    operationId: 'updateSource',
    tag: 'Sources',
    auth: 'session',
    role: 'admin',
    summary: 'Changes a source (not its kind) and restarts reading it; credentials left out stay as they are; audited',
    body: ZUpdateSource,
    responses: ok(ZSourceAnswer, 'Changed'),
    errors: {
      ...SESSION_ERRORS,
      ...BODY_ERRORS,
      400: 'As for every body, or no targets left for a kind the panel reads itself (`invalid_request`)',
      ...notFound('source'),
      409: 'Another source has this name (`source_exists`)',
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/sources/:id',
    operationId: 'deleteSource',
    tag: 'Sources',
    auth: 'session',
    role: 'admin',
    summary: 'Removes a source and stops reading it; its instances go stale; audited',
    responses: ok(ZOk, 'Removed'),
    errors: { ...SESSION_ERRORS, ...notFound('source') },
  },

  // Reporters (API keys).
  {
    method: 'POST',
    path: '/api/v1/reports',
    operationId: 'postReports',
    tag: 'Reporters',
    auth: 'apiKey',
    summary: 'A batch of registrations, reports, transitions and command acknowledgements from a reporter without a socket; answers with its pending commands',
    body: ZReportBatch,
    responses: { 200: { description: "Applied; the commands the batch's instances have not acknowledged", schema: agentSuccess(ZReportBatchResult) } },
    errors: {
      ...AGENT_ERRORS,
      403: "The batch names an instance of another service than the key's (`forbidden`)",
      409: 'A message names an instance that has not registered: send `register` in the batch (`not_registered`)',
      413: 'The body exceeds MAX_MESSAGE_BYTES (`payload_too_large`)',
      415: 'The body is not sent as application/json',
    },
  },
  {
    method: 'GET',
    path: '/api/v1/commands',
    operationId: 'pollCommands',
    tag: 'Reporters',
    auth: 'apiKey',
    summary: 'Long poll: answers as soon as the instance has a command, or with none after waitMs',
    query: ZCommandPollQuery,
    responses: { 200: { description: 'The commands not handed to the instance yet (possibly none)', schema: agentSuccess(ZCommandPollResult) } },
    errors: { ...AGENT_ERRORS, 403: 'The instance belongs to another service (`forbidden`)', 409: 'The instance has not registered (`not_registered`)' },
  },
  {
    method: 'POST',
    path: '/v1/metrics',
    operationId: 'postOtlpMetrics',
    tag: 'Reporters',
    auth: 'apiKey',
    summary:
      "OTLP/HTTP metrics receiver: an OpenTelemetry `ExportMetricsServiceRequest` whose Polly circuit events become the key's service's breakers; needs an enabled `otlp` source for that service",
    bodyContent: { 'application/x-protobuf': null, 'application/json': null },
    headers: { 'content-encoding': 'Optional: `gzip`, or none' },
    responses: {
      200: {
        description: "Applied; an `ExportMetricsServiceResponse` in the request's encoding, empty or with `partialSuccess` counting the data points that carried no usable value",
        content: { 'application/json': ZExportMetricsResponse, 'application/x-protobuf': null },
      },
    },
    errors: {
      ...AGENT_ERRORS,
      400: 'Not valid protobuf, JSON or gzip, or not a valid request (`invalid_payload`); `error.path` names the field',
      403: "A resource's `service.name` is another service than the key's (`error.path` names it), or no enabled `otlp` source names the key's service (`forbidden`)",
      413: 'The body exceeds MAX_MESSAGE_BYTES as sent or once gunzipped (`payload_too_large`)',
      415: 'Another content type than application/x-protobuf or application/json, or a Content-Encoding other than gzip (`invalid_payload`)',
      503: 'The database is unavailable; Retry-After says when to retry (`unavailable`)',
    },
  },
];
