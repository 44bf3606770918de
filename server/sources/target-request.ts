import { authorizationOf } from './credential-box';
import type { TSourceCredentials } from '../../lib/sources/source';

/** A target's answer could not be used: the message is what the admin page shows. */
export class TargetError extends Error {
  override name = 'TargetError';
  constructor(
    message: string,
    /** The HTTP status, when the target answered. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

// An answer larger than this is not a breaker list: the read stops rather than buffering it.
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export interface TargetRequest {
  method?: 'GET' | 'POST';
  accept: string;
  body?: unknown;
  credentials: TSourceCredentials;
  timeoutMs: number;
}

/** A fetch that got no answer, in one line an admin can act on ("connection refused", "host not found"). */
export function describeFetchFailure(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  if (cause?.code === 'ECONNRESET') return 'connection reset';
  // Fetch refuses the Fetch standard's blocked ports (9, 25, 6000, 6667…) before it connects.
  if (cause?.message === 'bad port') return "the port is on the Fetch standard's list of blocked ports, which the panel cannot connect to: expose the endpoint on another port";
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Turns fetch's failures into one line an admin can act on ("connection refused", "timed out after 5000 ms"). */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  return describeFetchFailure(error);
}

/** One request to a target with its credentials and a timeout; the answer's text, or a TargetError. */
export async function requestTarget(url: string, { method = 'GET', accept, body, credentials, timeoutMs }: TargetRequest): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { accept };
  const authorization = authorizationOf(credentials);
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (error) {
    throw new TargetError(`${method} ${url}: ${describeFailure(error, timeoutMs)}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw new TargetError(`${method} ${url}: the answer is ${declared} bytes, more than ${MAX_ANSWER_BYTES}`, response.status);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new TargetError(`${method} ${url}: ${describeFailure(error, timeoutMs)}`, response.status);
  }
  if (text.length > MAX_ANSWER_BYTES) throw new TargetError(`${method} ${url}: the answer is larger than ${MAX_ANSWER_BYTES} bytes`, response.status);
  return { status: response.status, text };
}

/** Parses a target's JSON answer; a TargetError naming the URL when it is not JSON. */
export function parseTargetJson(url: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TargetError(`GET ${url}: the answer is not JSON (it starts with ${JSON.stringify(text.slice(0, 60))})`);
  }
}

/** Joins a base URL and a path without doubling or dropping slashes; the base's query string is dropped. */
export function joinUrl(base: string, path: string): string {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
