import { z } from 'zod';

/*
 * Building blocks for every string and timestamp a client sends (reporters,
 * the API, the dashboard socket). Postgres stores text as UTF-8 without NUL:
 * a lone UTF-16 surrogate cannot be encoded (the driver turns it into U+FFFD,
 * so the stored name no longer matches the one the server holds) and a NUL is
 * refused outright. Either, let past the edge, breaks writes later, far from
 * the message that brought it; so both are refused at the edge, with the field
 * named. This file imports only zod: the browser, the server and the SDK use it.
 */

// With the `u` flag a valid surrogate pair is one code point, so \p{Cs} matches only a lone surrogate.
const UNSTORABLE_TEXT = /[\u0000\p{Cs}]/u;

/** True for text Postgres can store: well-formed Unicode (no lone UTF-16 surrogate) and no NUL (U+0000). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE_TEXT.test(text);
}

/** The message a refused string gets. */
export const UNSTORABLE_TEXT_MESSAGE = 'must be well-formed Unicode text without NUL characters';

/** A string Postgres can store (see isStorableText); the base of every string field of every input. */
export const ZText = z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

/**
 * The latest timestamp any input may carry, 2200-01-01T00:00:00Z in epoch ms:
 * far beyond any real clock, far inside both JavaScript's Date range and
 * Postgres's timestamptz, so a time accepted is a time that can be stored and
 * rendered.
 */
export const MAX_EPOCH_MS = Date.UTC(2200, 0, 1);

/** A point in time in epoch ms, 0 (1970) to MAX_EPOCH_MS (2200); finite by construction. */
export const ZEpochMs = z.number().min(0).max(MAX_EPOCH_MS, 'must be an epoch ms time before the year 2200');

/** A timestamp in a query string (epoch ms, whole): coerced from text, in ZEpochMs's range. */
export const ZQueryEpochMs = z.coerce.number().int().min(0).max(MAX_EPOCH_MS, 'must be an epoch ms time before the year 2200');
