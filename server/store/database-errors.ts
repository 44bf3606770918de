// Socket errors, SQLSTATEs and Prisma codes that mean "the database is not there right now", not "this query is wrong":
// refused or dropped connections, admin/crash shutdown (57P01/57P02), starting up or in recovery (57P03), too many
// connections (53300), and Prisma's can't-reach / closed / pool timeout (P1001, P1002, P1008, P1017, P2024).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
]);
// The same, as @prisma/adapter-pg names them in a driver adapter error.
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// node-postgres raises these without a code.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|Can't reach database server|Server has closed the connection/i;

/** How long a client should wait before trying again while the database is away, in seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

function unavailable(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || depth > 6) return false;
  const record = value as Record<string, unknown>;
  const code = record.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof record.kind === 'string' && UNAVAILABLE_KINDS.has(record.kind)) return true;
  if (typeof record.message === 'string' && UNAVAILABLE_MESSAGE.test(record.message)) return true;
  const nested = [record.cause, record.meta, record.driverAdapterError, ...(Array.isArray(record.errors) ? record.errors : [])];
  return nested.some((inner) => unavailable(inner, depth + 1));
}

/**
 * Whether an error means the database could not be reached (down,
 * restarting, refusing connections) rather than that a query failed: such a
 * request is answered "unavailable, retry" (503, or the `unavailable` ack),
 * not "internal error", and its log lines are rate-limited.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailable(error, 0);
}
