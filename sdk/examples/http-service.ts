/**
 * An example service: it protects an HTTP call to its upstream with a
 * breaker and reports to a local panel.
 *
 *   PANEL_URL=http://localhost:3000 PANEL_API_KEY=bp_… UPSTREAM_URL=http://localhost:4000/quote \
 *     npx tsx sdk/examples/http-service.ts
 *
 * EXAMPLE_CALLS=n stops after n calls (the SDK tests run it that way).
 */
import { connectPanel, createCircuitBreaker, isBreakerOpenError } from '../src/index.js';

const panelUrl = process.env.PANEL_URL ?? 'http://localhost:3000';
const upstreamUrl = process.env.UPSTREAM_URL ?? 'http://localhost:4000/quote';
const maxCalls = Number(process.env.EXAMPLE_CALLS ?? Infinity);
const intervalMs = Number(process.env.CALL_INTERVAL_MS ?? 500);

const quotes = createCircuitBreaker({
  name: 'quote-api',
  window: { type: 'time', seconds: 30 },
  failureRateThreshold: 50,
  slowCallThreshold: 2_000,
  minimumCalls: 5,
  openTimeout: 5_000,
  openTimeoutBackoff: { multiplier: 2, maxMs: 60_000 },
  timeout: 3_000,
  // A 404 is an answer, not an outage.
  isFailure: (error) => !(error instanceof HttpError && error.status === 404),
});

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`upstream answered ${status}`);
  }
}

const reporter = connectPanel({
  url: panelUrl,
  apiKey: process.env.PANEL_API_KEY ?? 'dev-key',
  service: 'example-shop',
  labels: { region: process.env.REGION ?? 'local', version: '1.0.0' },
  breakers: [quotes],
});
reporter.on('error', (error) => console.warn(`[panel] ${error.message}`));

async function fetchQuote(): Promise<string> {
  return quotes.execute(async (signal) => {
    const response = await fetch(upstreamUrl, { signal });
    if (!response.ok) throw new HttpError(response.status);
    return response.text();
  });
}

let calls = 0;
const timer = setInterval(() => {
  calls += 1;
  fetchQuote()
    .then((quote) => console.log(`quote: ${quote}`))
    .catch((error: unknown) => console.log(isBreakerOpenError(error) ? 'quote-api breaker is open: serving without a quote' : `quote failed: ${String(error)}`))
    .finally(() => {
      if (calls >= maxCalls) void stop();
    });
  if (calls >= maxCalls) clearInterval(timer);
}, intervalMs);

async function stop(): Promise<void> {
  clearInterval(timer);
  await reporter.close();
  console.log('stopped', JSON.stringify(quotes.stats().counters));
}

process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
