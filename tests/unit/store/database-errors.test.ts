import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger';
import { isDatabaseUnavailable } from '../../../server/store/database-errors';

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });

describe('isDatabaseUnavailable', () => {
  it('knows refused and dropped connections, shutdowns, start-up and pool timeouts', () => {
    expect(isDatabaseUnavailable(socketError('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
  });

  it('looks through causes, aggregates and Prisma driver adapter errors', () => {
    expect(isDatabaseUnavailable(new AggregateError([socketError('ECONNREFUSED')], 'all attempts failed'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('driver adapter error'), { cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 } }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Invalid invocation'), { code: 'P1001' }))).toBe(true);
  });

  it('leaves query errors alone: those are bugs or bad input, not an outage', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe('the logger while the database is away', () => {
  it('lets one line per message through per 30 s and counts the ones held back', () => {
    const lines: Array<Record<string, unknown>> = [];
    let clock = 0;
    const logger = createLogger('info', () => clock, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }));
    const down = socketError('ECONNREFUSED');
    for (let tick = 0; tick < 40; tick++, clock += 1_000) {
      logger.warn({ err: down }, 'flushing the aggregate failed; will retry');
      logger.warn({ err: down }, 'expiring overrides failed');
    }
    logger.error({ err: new Error('a bug') }, 'API request failed');
    logger.error({ err: new Error('a bug') }, 'API request failed');
    expect(lines.map((line) => [line.msg, line.repeated])).toEqual([
      ['flushing the aggregate failed; will retry', undefined],
      ['expiring overrides failed', undefined],
      ['flushing the aggregate failed; will retry', 29],
      ['expiring overrides failed', 29],
      ['API request failed', undefined],
      ['API request failed', undefined],
    ]);
  });
});
