import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

const ROOT = '/srv/breaker-panel';

describe('loadConfig', () => {
  it('runs with no configuration at all: port 3000, embedded Postgres in .data/postgres', () => {
    const config = loadConfig({}, ROOT);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.embeddedPostgres.dataDir).toBe(path.join(ROOT, '.data', 'postgres'));
    expect(config.env).toBe('production');
  });

  it('takes PORT, DATABASE_URL and PG_DATA_DIR from the environment', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgresql://u:p@db.internal:5432/panel', PG_DATA_DIR: '/var/lib/panel' }, ROOT);
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgresql://u:p@db.internal:5432/panel');
    expect(config.embeddedPostgres.dataDir).toBe('/var/lib/panel');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, ROOT)).toMatchObject({ port: 3000, databaseUrl: undefined });
  });

  it.each([
    [{ PORT: 'eighty' }, 'Invalid PORT="eighty": expected a TCP port number, 0 to 65535'],
    [{ PORT: '70000' }, 'Invalid PORT="70000": expected a TCP port number, 0 to 65535'],
    [{ DATABASE_URL: 'mysql://localhost/panel' }, 'Invalid DATABASE_URL="mysql://localhost/panel": expected a postgres:// or postgresql:// URL'],
  ])('stops with one line naming the variable for %o', (env, message) => {
    expect(() => loadConfig(env, ROOT)).toThrow(ConfigError);
    expect(() => loadConfig(env, ROOT)).toThrow(message);
  });

  it('names the variable and the allowed values of an enum', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, ROOT)).toThrow('Invalid LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent');
  });
});
