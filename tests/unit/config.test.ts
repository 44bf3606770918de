import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, ZConfigEnv } from '../../server/config';
import { secretVariables } from '../../server/secret-variable';

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
  ])('stops with one line naming the variable for %o', (env, message) => {
    expect(() => loadConfig(env, ROOT)).toThrow(ConfigError);
    expect(() => loadConfig(env, ROOT)).toThrow(message);
  });

  it('keeps a server on its own unless CLUSTER=on, which needs a shared DATABASE_URL', () => {
    expect(loadConfig({}, ROOT).cluster.enabled).toBe(false);
    expect(() => loadConfig({ CLUSTER: 'on' }, ROOT)).toThrow('CLUSTER=on needs DATABASE_URL');
    const config = loadConfig({ CLUSTER: 'on', DATABASE_URL: 'postgresql://u:p@db.internal:5432/panel', SERVER_ID: 'panel-2', CLUSTER_HEARTBEAT_MS: '500' }, ROOT);
    expect(config.cluster).toEqual({ enabled: true, serverId: 'panel-2', heartbeatMs: 500, deadAfterMs: 1_500, redisUrl: null });
    expect(loadConfig({ CLUSTER: 'on', DATABASE_URL: 'postgresql://u:p@db.internal:5432/panel', REDIS_URL: 'redis://cache.internal:6379' }, ROOT).cluster.redisUrl).toBe('redis://cache.internal:6379');
    expect(() => loadConfig({ SERVER_ID: 'a b' }, ROOT)).toThrow('Invalid SERVER_ID="a b": expected 1 to 64 letters, digits, dots, dashes or underscores');
    // Without SERVER_ID each start is a server of its own.
    expect(loadConfig({}, ROOT).cluster.serverId).not.toBe(loadConfig({}, ROOT).cluster.serverId);
  });

  it('names the variable and the allowed values of an enum', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, ROOT)).toThrow('Invalid LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent');
  });

  // Each value is wrong for its variable and contains a secret-looking part that must not be printed.
  it.each([
    ['METRICS_TOKEN', 'short-s3cret', 'Invalid METRICS_TOKEN (value not shown): expected a secret of at least 16 characters'],
    ['SOURCE_CREDENTIALS_KEY', 's3cret-but-short', 'Invalid SOURCE_CREDENTIALS_KEY (value not shown): expected a 32-byte key as 64 hex digits or base64'],
    ['ADMIN_PASSWORD', 'hunter2', 'Invalid ADMIN_PASSWORD (value not shown): expected a password of 12 characters or more for the first admin'],
    ['DATABASE_URL', 'mysql://panel:s3cret-pw@db.internal/panel', 'Invalid DATABASE_URL (value not shown): expected a postgres:// or postgresql:// URL'],
    ['DATABASE_URL', 'postgresql://panel:s3cret pw@db internal/panel', 'Invalid DATABASE_URL (value not shown): expected a postgres:// or postgresql:// URL'],
    ['REDIS_URL', 'http://panel:s3cret-pw@cache.internal:6379', 'Invalid REDIS_URL (value not shown): expected a redis:// or rediss:// URL'],
  ])('names a bad %s and what it expects, never its value', (variable, value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ [variable]: value }, ROOT);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toBe(message);
    for (const part of [value, 's3cret', 'hunter2']) expect((thrown as ConfigError).message).not.toContain(part);
  });

  it('marks every variable that can hold a secret as secret, and describes every variable', () => {
    const variables = Object.entries(ZConfigEnv.shape);
    const secret = variables.filter(([, schema]) => secretVariables.has(schema)).map(([name]) => name);
    expect(secret.sort()).toEqual(['ADMIN_PASSWORD', 'DATABASE_URL', 'METRICS_TOKEN', 'REDIS_URL', 'SOURCE_CREDENTIALS_KEY']);
    // A new variable named like a secret fails here until it is marked.
    const secretByName = variables.map(([name]) => name).filter((name) => /PASSWORD|TOKEN|SECRET|KEY|CREDENTIAL|_URL$/.test(name));
    expect(secretByName.filter((name) => !secret.includes(name))).toEqual([]);
    expect(variables.filter(([, schema]) => !schema.description).map(([name]) => name)).toEqual([]);
  });
});
