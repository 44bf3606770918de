import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../../lib/auth/safe-next-path';

// How a browser on the panel would resolve a Location header or location.assign().
const resolvedOrigin = (target: string) => new URL(target, 'https://panel.example').origin;

describe('safeNextPath', () => {
  it.each([
    ['/', '/'],
    ['/breakers/1?x=2', '/breakers/1?x=2'],
    ['/history?range=1h#top', '/history?range=1h#top'],
    ['/admin', '/admin'],
    // Percent-encodings stay encoded: the browser asks the panel for that path, it never decodes it into a host.
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%09/evil.example', '/%09/evil.example'],
    ['/%5Cevil.example', '/%5Cevil.example'],
    ['/@evil.example', '/@evil.example'],
    ['/javascript:alert(1)', '/javascript:alert(1)'],
    ['/breakers/é', '/breakers/%C3%A9'],
    ['/a/../admin', '/admin'],
  ])('keeps the path on the panel %j → %j', (next, path) => {
    expect(safeNextPath(next)).toBe(path);
  });

  it.each([
    // control characters browsers strip, turning `/<ctl>/host` into `//host`
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/\r/evil.example',
    '/\u0000/evil.example',
    '/\u007f/evil.example',
    '/\u0085/evil.example',
    '\t//evil.example',
    '/breakers\nSet-Cookie: x=1',
    // protocol-relative and backslash forms
    '//evil.example',
    '///evil.example',
    '//\\evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    // dot segments that collapse into `//host`
    '/.//evil.example',
    '/..//evil.example',
    '/a/..//evil.example',
    '/%2e%2e//evil.example',
    // absolute URLs and schemes
    'https://evil.example',
    'http:evil.example',
    'http:/evil.example',
    'HTTPS://evil.example/',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'evil.example',
    ' //evil.example',
    // still encoded once more than a query string decodes
    '%2F%2Fevil.example',
    '%2F%09%2Fevil.example',
    // the sign-in page (a loop), nothing, and what is not a string
    '/sign-in',
    '/sign-in?next=/admin',
    '/sign-in/',
    '',
    '?x=1',
    '#top',
    null,
    undefined,
    ['/admin'],
    42,
  ])('sends %j to /', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it("reads the issue's query string the way the page does, and refuses it", () => {
    expect(safeNextPath(new URLSearchParams('next=%2F%09%2Fevil.example').get('next'))).toBe('/');
    expect(safeNextPath(new URLSearchParams('next=%2F%0A%2Fevil.example').get('next'))).toBe('/');
    expect(safeNextPath(new URLSearchParams('next=%252F%252Fevil.example').get('next'))).toBe('/');
  });

  it('whatever it is given, answers a path that stays on the panel and that it would answer again', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(fc.constantFrom('/', '\\', '.', '\t', '\n', '\r', ' ', '%', '2', 'F', 'e', ':', '@', '?', '#', 'evil', 'http', '\u0000'), { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(hostile, (next) => {
        const path = safeNextPath(next);
        expect(path.startsWith('/') && !path.startsWith('//')).toBe(true);
        expect(path).not.toMatch(/[\u0000-\u001f\u007f\\]/);
        expect(resolvedOrigin(path)).toBe('https://panel.example');
        expect(safeNextPath(path)).toBe(path);
      }),
      { numRuns: 500 },
    );
  });
});
