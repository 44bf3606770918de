import net from 'node:net';
import { once } from 'node:events';
import { afterAll, expect, inject, it } from 'vitest';
import { startTestPanel } from '../../fixtures/panel';
import { createEmptyDatabase, type TestDatabase } from '../../fixtures/test-database';

let database: TestDatabase | undefined;
afterAll(async () => {
  await database?.drop();
});

const HEALTH_REQUEST = 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

it('stops while a client keeps asking on a keep-alive connection that was busy when the stop began, as a prefetching browser does', async () => {
  database = await createEmptyDatabase(inject('postgresAdminUrl'));
  // Ten minutes before connections are forced closed: the stop must end without that.
  const panel = await startTestPanel({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: '600000' });
  const client = net.connect(panel.port, '127.0.0.1');
  await once(client, 'connect');
  let answers = '';
  client.on('data', (chunk: Buffer) => (answers += chunk.toString('latin1')));
  const closed = once(client, 'close');
  client.on('error', () => undefined);

  // A request whose headers are not finished yet: the connection is busy, so the server's close() leaves it open.
  client.write(HEALTH_REQUEST.slice(0, -2));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const stopped = panel.stop();
  client.write('\r\n');
  const asking = setInterval(() => client.writable && client.write(HEALTH_REQUEST), 50);
  try {
    await stopped;
    await closed;
  } finally {
    clearInterval(asking);
    client.destroy();
  }
  // The request in flight when the stop began was answered before the connection closed.
  expect(answers).toMatch(/^HTTP\/1\.1 200 /);
}, 30_000);
