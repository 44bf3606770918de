/**
 * What each cross-server broadcast carrier holds: two Socket.IO servers on
 * loopback share a dashboard namespace through @socket.io/postgres-adapter
 * (an embedded Postgres) or @socket.io/redis-streams-adapter (a local
 * redis-server, when installed); server A broadcasts at a paced rate, a
 * client of server B counts what arrives and how late. Prints, per carrier,
 * payload size and rate: delivered / sent and the p50 / p99 delay.
 * See docs/operations.md ("Broadcast carriers").
 *
 * Usage: npm run bench:broadcasts -- [--seconds 5]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisStreamsAdapter } from '@socket.io/redis-streams-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { startThrowawayPostgres } from './bench/throwaway-postgres';
import { findRedisServer, startRedisServer } from '../tests/fixtures/redis-server';
import { runBench } from './bench/run-bench';

const NAMESPACE = '/dashboard';
const SIZES = [200, 20_000];
const RATES = [100, 1_000, 4_000];

type AdapterFactory = Parameters<Server['adapter']>[0];
interface Carrier {
  name: string;
  adapter(): Promise<{ factory: AdapterFactory; close(): Promise<void> }>;
}

const cleanups: Array<() => Promise<unknown>> = [];
const cleanUp = async () => {
  for (const step of cleanups.reverse()) await step().catch(() => undefined);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);

async function socketServer(factory: AdapterFactory) {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  io.adapter(factory);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, port: (http.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => void io.close(() => resolve())) };
}

async function measure(carrier: Carrier, size: number, rate: number, seconds: number) {
  const [first, second] = [await carrier.adapter(), await carrier.adapter()];
  const a = await socketServer(first.factory);
  const b = await socketServer(second.factory);
  for (const server of [a, b]) server.io.of(NAMESPACE);
  const client = connect(`http://127.0.0.1:${b.port}${NAMESPACE}`, { transports: ['websocket'] });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  const delays: number[] = [];
  client.on('tick', (message: { at: number }) => delays.push(performance.timeOrigin + performance.now() - message.at));
  await sleep(500);
  const filler = 'x'.repeat(size);
  let sent = 0;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    for (; sent < due; sent++) a.io.of(NAMESPACE).emit('tick', { at: performance.timeOrigin + performance.now(), filler });
    await sleep(5);
  }
  await sleep(2_000);
  client.disconnect();
  await a.close();
  await b.close();
  await first.close();
  await second.close();
  delays.sort((x, y) => x - y);
  return { sent, delivered: delays.length, p50: quantile(delays, 0.5), p99: quantile(delays, 0.99) };
}

async function main() {
  const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;
  const { postgres } = await startThrowawayPostgres('bench-broadcasts', cleanups);
  await postgres.createDatabase('broadcasts');
  const databaseUrl = postgres.urlFor('broadcasts');
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query('CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)');
  await setup.end();

  const carriers: Carrier[] = [
    {
      name: 'Postgres (NOTIFY)',
      adapter: async () => {
        const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
        // Connections end when the benchmark stops Postgres.
        pool.on('error', () => undefined);
        pool.on('connect', (client) => client.on('error', () => undefined));
        return { factory: createPostgresAdapter(pool) as AdapterFactory, close: () => pool.end() };
      },
    },
  ];
  const redisBinary = findRedisServer();
  if (redisBinary) {
    const redis = await startRedisServer(redisBinary);
    cleanups.push(() => redis.stop());
    carriers.push({
      name: 'Redis (stream)',
      adapter: async () => {
        const client = createClient({ url: redis.url });
        await client.connect();
        return { factory: createRedisStreamsAdapter(client, { streamName: 'bench', maxLen: 10_000 }) as AdapterFactory, close: () => client.quit().then(() => undefined) };
      },
    });
  } else console.log('redis-server is not installed: Postgres only');

  console.log(
    `bench:broadcasts — server A broadcasts, a client of server B receives; ${seconds} s per line; ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' / ')}\n`,
  );
  console.log(`${'carrier'.padEnd(20)}${'payload'.padStart(9)}${'offered/s'.padStart(11)}${'delivered'.padStart(12)}${'p50'.padStart(9)}${'p99'.padStart(9)}`);
  for (const carrier of carriers)
    for (const size of SIZES)
      for (const rate of RATES) {
        const result = await measure(carrier, size, rate, seconds);
        console.log(
          `${carrier.name.padEnd(20)}${`${size} B`.padStart(9)}${String(rate).padStart(11)}${`${((100 * result.delivered) / Math.max(1, result.sent)).toFixed(1)}%`.padStart(12)}${`${result.p50.toFixed(0)} ms`.padStart(9)}${`${result.p99.toFixed(0)} ms`.padStart(9)}`,
        );
      }
}

runBench('bench:broadcasts', 10, main, cleanUp);
