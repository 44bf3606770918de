import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../../server/notify/signature';

describe('webhook signature', () => {
  const secret = 'whsec_test_secret_1234567890';
  const body = '{"type":"breaker.tripped","id":"e1"}';

  it('is t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">, as docs/notifications.md states', () => {
    const expected = createHmac('sha256', secret).update(`1795430000.${body}`).digest('hex');
    expect(signatureHeader(secret, 1795430000, body)).toBe(`t=1795430000,v1=${expected}`);
  });

  it('verifies the right body and secret within the tolerance, and nothing else', () => {
    const header = signatureHeader(secret, 1000, body);
    expect(verifySignature(secret, header, body, 1000)).toBe(true);
    expect(verifySignature(secret, header, body, 1299)).toBe(true);
    expect(verifySignature(secret, header, body, 1301)).toBe(false);
    expect(verifySignature(secret, header, `${body} `, 1000)).toBe(false);
    expect(verifySignature('another_secret_of_length', header, body, 1000)).toBe(false);
    expect(verifySignature(secret, header.replace('t=1000', 't=1001'), body, 1000)).toBe(false);
    expect(verifySignature(secret, 'garbage', body, 1000)).toBe(false);
    expect(verifySignature(secret, undefined, body, 1000)).toBe(false);
  });
});
