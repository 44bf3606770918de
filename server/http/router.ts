import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../../lib/protocol/storable.js';
import { HttpError } from './http-error';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The `:name` segments of the matched path. */
  params: Record<string, string>;
}

export type RouteHandler = (context: RouteContext) => Promise<void>;

interface Route {
  method: HttpMethod;
  path: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/** A small method + path router: each area of the server registers its own routes. */
export interface Router {
  add(method: HttpMethod, path: string, handler: RouteHandler): void;
  /** Every route added, in the router's path syntax: what the OpenAPI document must describe. */
  routes(): Array<{ method: HttpMethod; path: string }>;
  /** Runs the matching route; false when no route has this path. Throws HttpError 405 for a wrong method. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), names };
}

/** A decoded `:name` segment; 400 for bad escapes and for text Postgres cannot store (a NUL, a lone surrogate), rather than a 500 later. */
function pathParam(name: string, segment: string): string {
  let value: string;
  try {
    value = decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_request', `Invalid path: ${name}: not a valid percent-encoded segment`, { issues: [{ path: name, message: 'not a valid percent-encoded segment' }] });
  }
  if (!isStorableText(value)) throw new HttpError(400, 'invalid_request', `Invalid path: ${name}: ${UNSTORABLE_TEXT_MESSAGE}`, { issues: [{ path: name, message: UNSTORABLE_TEXT_MESSAGE }] });
  return value;
}

export function createRouter(): Router {
  const routes: Route[] = [];
  return {
    add(method, path, handler) {
      routes.push({ method, path, handler, ...compile(path) });
    },
    routes: () => routes.map(({ method, path }) => ({ method, path })),
    async handle(req, res, url) {
      const method = (req.method ?? 'GET').toUpperCase();
      let pathMatched = false;
      for (const route of routes) {
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        pathMatched = true;
        if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
        const params = Object.fromEntries(route.names.map((name, index) => [name, pathParam(name, match[index + 1] ?? '')]));
        await route.handler({ req, res, url, params });
        return true;
      }
      if (pathMatched) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}`);
      return false;
    },
  };
}
