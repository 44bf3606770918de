import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { roleAllows } from '../../../lib/auth/roles';
import { carriesCsrfToken, comesFromOwnSite } from '../../../server/auth/csrf';
import { pagePolicy } from '../../../server/auth/security-headers';
import { socketRoleError, type AccessSocketData } from '../../../server/auth/socket-access';
import { ConfigError, loadConfig } from '../../../server/config';

const request = (headers: Record<string, string>) => ({ headers: { host: 'panel.example:3000', ...headers }, socket: {} }) as unknown as IncomingMessage;

describe('access rules', () => {
  it('orders roles: viewer < operator < admin', () => {
    expect([roleAllows('viewer', 'viewer'), roleAllows('viewer', 'operator'), roleAllows('operator', 'operator'), roleAllows('operator', 'admin'), roleAllows('admin', 'operator')]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('answers a socket action with forbidden below the needed role', () => {
    const socket = (role: 'viewer' | 'operator') =>
      ({ data: { access: { sessionId: 's', user: { id: 'u', email: 'e', name: null, role } } } }) as unknown as Socket<never, never, never, AccessSocketData>;
    expect(socketRoleError(socket('operator'), 'operator')).toBeNull();
    expect(socketRoleError(socket('viewer'), 'operator')).toEqual({ code: 'forbidden', message: 'This needs the operator role; you are viewer' });
  });

  it('accepts our own origin, same-origin fetches and non-browser clients; refuses other sites', () => {
    expect(comesFromOwnSite(request({ origin: 'http://panel.example:3000' }), false)).toBe(true);
    expect(comesFromOwnSite(request({ 'sec-fetch-site': 'same-origin', origin: 'http://panel.example:3000' }), false)).toBe(true);
    expect(comesFromOwnSite(request({}), false)).toBe(true);
    expect(comesFromOwnSite(request({ origin: 'https://evil.example' }), false)).toBe(false);
    expect(comesFromOwnSite(request({ origin: 'https://panel.example:3000' }), false)).toBe(false);
    expect(comesFromOwnSite(request({ 'sec-fetch-site': 'cross-site' }), false)).toBe(false);
    expect(comesFromOwnSite(request({ origin: 'https://panel.example:3000', 'x-forwarded-proto': 'https' }), true)).toBe(true);
    expect(comesFromOwnSite(request({ origin: 'https://panel.example:3000', 'x-forwarded-proto': 'https' }), false)).toBe(false);
  });

  it('compares the CSRF token exactly', () => {
    expect(carriesCsrfToken(request({ 'x-csrf-token': 'abc' }), 'abc')).toBe(true);
    expect(carriesCsrfToken(request({ 'x-csrf-token': 'abd' }), 'abc')).toBe(false);
    expect(carriesCsrfToken(request({}), 'abc')).toBe(false);
  });

  it("allows 'unsafe-eval' only in development, and never framing", () => {
    expect(pagePolicy('n0nce', false)).not.toContain('unsafe-eval');
    expect(pagePolicy('n0nce', true)).toContain("'unsafe-eval'");
    expect(pagePolicy('n0nce', false)).toContain("script-src 'self' 'nonce-n0nce' 'strict-dynamic'");
    expect(pagePolicy('n0nce', false)).toContain("frame-ancestors 'none'");
  });

  it('reads the access variables, with safe defaults, and never echoes a bad ADMIN_PASSWORD', () => {
    expect(loadConfig({}, '/srv').access).toEqual({
      bootstrapAdmin: { email: undefined, password: undefined },
      session: { idleMs: 12 * 3_600_000, maxAgeMs: 7 * 86_400_000 },
      cookieSecure: 'auto',
      trustProxy: false,
      signInLimits: { perPair: 5, perAccount: 10, perAddress: 20, windowMs: 900_000 },
    });
    expect(() => loadConfig({ ADMIN_PASSWORD: 'hunter2' }, '/srv')).toThrow(
      new ConfigError('Invalid ADMIN_PASSWORD (value not shown): expected a password of 12 characters or more for the first admin'),
    );
    expect(() => loadConfig({ TRUST_PROXY: 'yes' }, '/srv')).toThrow(/TRUST_PROXY="yes"/);
  });
});
