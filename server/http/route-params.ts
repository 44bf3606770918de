import { isUuid } from '../../lib/ids';
import { HttpError } from './http-error';

/**
 * A route's `:name` parameter that must be a row id: the id, or a 404 that
 * says which `thing` was not found (a malformed id names no row either).
 */
export function uuidParam(params: Record<string, string>, name: string, thing: string): string {
  const value = params[name] ?? '';
  if (!isUuid(value)) throw new HttpError(404, 'not_found', `No ${thing} with id ${value}`);
  return value;
}
