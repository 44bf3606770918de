import pino from 'pino';
import { isDatabaseUnavailable } from './store/database-errors';

export type Logger = pino.Logger;

// While the database is away every timer and request fails the same way: one line per message per window says so.
const DATABASE_DOWN_LOG_WINDOW_MS = 30_000;

/**
 * Lets a warning or error caused by an unreachable database through once per
 * message per window, counting the ones held back (`repeated` on the next
 * line let through), so an outage logs a few lines rather than one per
 * timer tick and request.
 */
function rateLimitDatabaseDown(now: () => number): pino.LoggerOptions['hooks'] {
  const lastLine = new Map<string, { at: number; held: number }>();
  return {
    logMethod(args, method, level) {
      const [first, message] = args as unknown[];
      if (level >= 40 && typeof first === 'object' && first !== null && 'err' in first && isDatabaseUnavailable(first.err)) {
        const key = typeof message === 'string' ? message : '';
        const seen = lastLine.get(key);
        const at = now();
        if (seen && at - seen.at < DATABASE_DOWN_LOG_WINDOW_MS) {
          seen.held += 1;
          return;
        }
        lastLine.set(key, { at, held: 0 });
        if (seen?.held) {
          const [, ...rest] = args;
          return method.apply(this, [{ ...first, repeated: seen.held }, ...rest] as Parameters<pino.LogFn>);
        }
      }
      return method.apply(this, args);
    },
  };
}

/** JSON logs to stdout (or `destination`); secrets are redacted wherever they may appear. */
export function createLogger(level: pino.LevelWithSilent, now: () => number = Date.now, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    hooks: rateLimitDatabaseDown(now),
    redact: {
      paths: ['password', '*.password', 'apiKey', '*.apiKey', 'token', '*.token', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
