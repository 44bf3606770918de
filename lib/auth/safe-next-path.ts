/** Where a redirect goes when the requested target is missing or not safe to follow. */
export const SAFE_FALLBACK_PATH = '/';

// Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil`
// or `/\evil` become `//evil`, another host; no control character is ever legitimate here.
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\\]/;
// A stand-in origin to resolve against: whatever leaves it is not a path on the panel.
const BASE = new URL('http://panel.invalid');
// Longer targets are not paths the panel links to, and would bloat a Location header.
const MAX_LENGTH = 2048;

/**
 * The one judge of every redirect target (`next` after sign-in, on the server
 * and in the browser): a path on this site, normalised, or `/`. The target is
 * parsed as a URL against a stand-in origin and must stay on it; raw control
 * characters and backslashes are refused before parsing, and the parsed path
 * is checked again because dot segments can collapse into `//host`
 * (`/.//evil`). The sign-in page itself is never a target (no loop).
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > MAX_LENGTH || !next.startsWith('/') || next.startsWith('//') || UNSAFE_CHARACTER.test(next)) return SAFE_FALLBACK_PATH;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return SAFE_FALLBACK_PATH;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== BASE.origin || !path.startsWith('/') || path.startsWith('//') || UNSAFE_CHARACTER.test(path)) return SAFE_FALLBACK_PATH;
  if (url.pathname === '/sign-in' || url.pathname.startsWith('/sign-in/')) return SAFE_FALLBACK_PATH;
  return path;
}
