import { CSRF_HEADER } from '../../lib/auth/session';

/** An API answer that was not 2xx, with the server's safe message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * fetch for the JSON API from the browser: same-origin cookie, the session's
 * CSRF token on every change, and `{ error: { code, message } }` turned into an
 * ApiError.
 */
export async function callApi<T>(
  path: string,
  { method = 'GET', body, csrfToken, headers: extra }: { method?: string; body?: unknown; csrfToken?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extra };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrfToken) headers[CSRF_HEADER] = csrfToken;
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const payload = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? 'unknown', payload?.error?.message ?? `The server answered ${response.status}`);
  return payload as T;
}
