import { z } from 'zod';
import { CSRF_HEADER } from '../../auth/session';
import { API_OPERATIONS, ZAgentFailure, ZApiError, type ApiOperation, type ApiResponse } from './operations';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as zod writes it. */
export type JsonSchema = Record<string, unknown>;

/** The parts of an OpenAPI 3.1 document this panel writes and its readers use. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes: Record<string, JsonSchema>; schemas: Record<string, JsonSchema> };
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  'x-required-role'?: string;
  parameters: OpenApiParameter[];
  requestBody?: { required: true; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description: string; headers?: Record<string, { description: string; schema: JsonSchema }>; content?: Record<string, { schema?: JsonSchema }> }>;
}

/**
 * A zod schema as JSON Schema: what a client sends (`input`: defaults make a
 * field optional) or what the panel answers (`output`). Refinements and
 * transforms have no JSON Schema form; the checks they make are in the prose.
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** `/api/v1/breakers/:id` → `/api/v1/breakers/{id}`. */
export const openApiPath = (routerPath: string) => routerPath.replace(/:([A-Za-z]+)/g, '{$1}');

/** An object schema's properties, through the `allOf` an intersection becomes. */
function objectProperties(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: Set<string> } {
  const properties: Record<string, JsonSchema> = { ...((schema.properties as Record<string, JsonSchema> | undefined) ?? {}) };
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const part of (schema.allOf as JsonSchema[] | undefined) ?? []) {
    const inner = objectProperties(part);
    Object.assign(properties, inner.properties);
    for (const name of inner.required) required.add(name);
  }
  return { properties, required };
}

function parameters(operation: ApiOperation): OpenApiParameter[] {
  const path = [...operation.path.matchAll(/:([A-Za-z]+)/g)].map(([, name]): OpenApiParameter => ({ name: name!, in: 'path', required: true, schema: { type: 'string' } }));
  const query: OpenApiParameter[] = [];
  if (operation.query) {
    const { properties, required } = objectProperties(jsonSchema(operation.query, 'input'));
    for (const [name, { description, ...schema }] of Object.entries(properties)) {
      query.push({ name, in: 'query', required: required.has(name), ...(typeof description === 'string' ? { description } : {}), schema });
    }
  }
  const headers = Object.entries(operation.headers ?? {}).map(([name, description]): OpenApiParameter => ({ name, in: 'header', required: false, description, schema: { type: 'string' } }));
  return [...path, ...query, ...headers];
}

function security(operation: ApiOperation): Array<Record<string, string[]>> {
  if (operation.auth === 'public') return [];
  if (operation.auth === 'apiKey') return [{ apiKey: [] }];
  // Changes need the CSRF token beside the cookie; reads the cookie alone.
  return operation.method === 'GET' ? [{ session: [] }] : [{ session: [], csrfToken: [] }];
}

function response(answer: ApiResponse): OpenApiOperation['responses'][string] {
  const content: Record<string, { schema?: JsonSchema }> = {};
  if (answer.schema) content['application/json'] = { schema: jsonSchema(answer.schema, 'output') };
  for (const [type, schema] of Object.entries(answer.content ?? {})) content[type] = schema ? { schema: jsonSchema(schema, 'output') } : {};
  const headers = answer.headers ? Object.fromEntries(Object.entries(answer.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) : undefined;
  return { description: answer.description, ...(headers ? { headers } : {}), ...(Object.keys(content).length ? { content } : {}) };
}

function requestBody(operation: ApiOperation): Pick<OpenApiOperation, 'requestBody'> {
  const content: Record<string, { schema?: JsonSchema }> = {};
  if (operation.body) content['application/json'] = { schema: jsonSchema(operation.body, 'input') };
  for (const [type, schema] of Object.entries(operation.bodyContent ?? {})) content[type] = schema ? { schema: jsonSchema(schema, 'input') } : {};
  return Object.keys(content).length ? { requestBody: { required: true, content } } : {};
}

function operationObject(operation: ApiOperation): OpenApiOperation {
  const errorSchema = operation.auth === 'apiKey' ? 'AgentFailure' : 'ApiError';
  const responses: OpenApiOperation['responses'] = {};
  for (const [status, answer] of Object.entries(operation.responses)) responses[status] = response(answer);
  for (const [status, description] of Object.entries(operation.errors)) {
    responses[status] = { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${errorSchema}` } } } };
  }
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    tags: [operation.tag],
    security: security(operation),
    ...(operation.role ? { 'x-required-role': operation.role } : {}),
    parameters: parameters(operation),
    ...requestBody(operation),
    responses,
  };
}

const DESCRIPTION = [
  'The JSON API of Breaker Panel. Operators sign in (POST /api/v1/auth/sign-in) and send the session cookie;',
  `every change also carries the session's CSRF token in the ${CSRF_HEADER} header. Reporters send their API key as a bearer token.`,
  'Errors are `{ "error": { "code", "message", "details"? } }`, except on the reporters\' routes, which answer like a socket acknowledgement.',
  'Roles: viewer < operator < admin; `x-required-role` names the least role an operation needs.',
].join(' ');

/** The OpenAPI 3.1 document of every operation in the route table. */
export function buildOpenApiDocument(version: string, operations: readonly ApiOperation[] = API_OPERATIONS): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    (paths[openApiPath(operation.path)] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Breaker Panel API', version, description: DESCRIPTION },
    tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'bp_session', description: 'The session cookie that signing in sets' },
        csrfToken: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: "The session's CSRF token (in the sign-in answer and GET /api/v1/auth/session), required on every change" },
        apiKey: { type: 'http', scheme: 'bearer', description: 'A reporter API key (Admin → API keys, or `npm run keys -- create <service>`)' },
      },
      schemas: {
        ApiError: jsonSchema(ZApiError, 'output'),
        AgentFailure: jsonSchema(ZAgentFailure, 'output'),
      },
    },
  };
}
