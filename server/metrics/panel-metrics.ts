import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Server } from 'socket.io';
import { DASHBOARD_NAMESPACE } from '../../lib/live/dashboard-events';
import { AGENT_NAMESPACE } from '../../lib/protocol/agent-events.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { Aggregate } from '../aggregate/aggregate';
import { OUTCOME_KINDS } from '../aggregate/outcome-kinds';
import type { ReadGate } from '../read-gate';
import type { OnRowsDropped } from '../jobs/flush-aggregate';

const STATES: ReadonlyArray<TBreakerState> = ['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'FORCED_CLOSED'];

/** Counted by ingest as messages arrive; read by Prometheus. */
export interface IngestCounters {
  reportReceived(breakers: number): void;
  transitionsStored(count: number): void;
  messageRejected(code: string): void;
}

export type PanelMetrics = ReturnType<typeof createPanelMetrics>;

/**
 * The panel's view of every breaker for Prometheus — state, calls by outcome,
 * rates and instances by state, labelled by service and breaker — computed
 * from the aggregate at scrape time, plus the process's own, ingest and socket
 * metrics.
 */
export function createPanelMetrics({ aggregate, io, readGate }: { aggregate: Aggregate; io: Server; readGate?: ReadGate }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'breaker_panel_' });
  const labels = ['service', 'breaker'] as const;

  const each = (visit: (summary: NonNullable<ReturnType<Aggregate['summary']>>) => void) => {
    for (const id of aggregate.breakerIds()) {
      const summary = aggregate.summary(id);
      if (summary) visit(summary);
    }
  };

  new Gauge({
    name: 'breaker_state',
    help: 'Service-wide breaker state over live instances: 1 for the current state, 0 for the others (all 0 when no instance is live).',
    labelNames: [...labels, 'state'],
    registers: [registry],
    collect() {
      this.reset();
      each((summary) => {
        for (const state of STATES) this.set({ service: summary.service, breaker: summary.name, state }, summary.state === state ? 1 : 0);
      });
    },
  });
  new Counter({
    name: 'breaker_calls_total',
    help: 'Calls by outcome, summed over instances, since this panel process started.',
    labelNames: [...labels, 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      each((summary) => {
        const totals = aggregate.breakers.get(summary.id)?.totals;
        if (!totals) return;
        OUTCOME_KINDS.forEach((outcome, index) => this.inc({ service: summary.service, breaker: summary.name, outcome }, totals[index] ?? 0));
      });
    },
  });
  new Gauge({
    name: 'breaker_failure_rate_percent',
    help: 'Failures and timeouts over executed calls in the last 10–20 s, percent (absent without calls).',
    labelNames: labels,
    registers: [registry],
    collect() {
      this.reset();
      each((summary) => summary.rates.failureRate !== null && this.set({ service: summary.service, breaker: summary.name }, summary.rates.failureRate));
    },
  });
  new Gauge({
    name: 'breaker_slow_call_rate_percent',
    help: 'Slow calls over executed calls in the last 10–20 s, percent (absent without calls).',
    labelNames: labels,
    registers: [registry],
    collect() {
      this.reset();
      each((summary) => summary.rates.slowCallRate !== null && this.set({ service: summary.service, breaker: summary.name }, summary.rates.slowCallRate));
    },
  });
  new Gauge({
    name: 'breaker_instances',
    help: 'Instances of a breaker by state; stale instances count under state="stale" only.',
    labelNames: [...labels, 'state'],
    registers: [registry],
    collect() {
      this.reset();
      each((summary) => {
        for (const state of STATES) this.set({ service: summary.service, breaker: summary.name, state }, summary.instances.byState[state]);
        this.set({ service: summary.service, breaker: summary.name, state: 'stale' }, summary.instances.stale);
      });
    },
  });
  new Gauge({
    name: 'breaker_panel_connected_sockets',
    help: 'Open Socket.IO connections by namespace.',
    labelNames: ['namespace'],
    registers: [registry],
    collect() {
      this.set({ namespace: 'agent' }, io.of(AGENT_NAMESPACE).sockets.size);
      this.set({ namespace: 'dashboard' }, io.of(DASHBOARD_NAMESPACE).sockets.size);
    },
  });
  if (readGate) {
    new Counter({
      name: 'breaker_panel_messages_held_total',
      help: 'Incoming socket messages held for a later event-loop turn (and their connection paused) because the panel was busy: backpressure.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(readGate.heldTotal);
      },
    });
    new Gauge({
      name: 'breaker_panel_messages_waiting',
      help: 'Incoming socket messages held now, waiting for the panel.',
      registers: [registry],
      collect() {
        this.set(readGate.waitingCount);
      },
    });
  }
  const reports = new Counter({ name: 'breaker_panel_reports_total', help: 'Reports received from instances.', registers: [registry] });
  const breakerReports = new Counter({ name: 'breaker_panel_breaker_reports_total', help: 'Breaker entries in received reports.', registers: [registry] });
  const transitions = new Counter({ name: 'breaker_panel_transitions_stored_total', help: 'Transitions stored (duplicates excluded).', registers: [registry] });
  const rejected = new Counter({ name: 'breaker_panel_messages_rejected_total', help: 'Reporter messages refused, by error code.', labelNames: ['code'], registers: [registry] });
  const dropped = new Counter({
    name: 'breaker_panel_flush_rows_dropped_total',
    help: 'Rows of counter flushes the database refused (bad data, a breaker deleted meanwhile), left out so the rest of the flush is stored; by table.',
    labelNames: ['table'],
    registers: [registry],
  });
  const onRowsDropped: OnRowsDropped = (table, rows) => dropped.inc({ table }, rows);

  const counters: IngestCounters = {
    reportReceived(breakers) {
      reports.inc();
      breakerReports.inc(breakers);
    },
    transitionsStored: (count) => transitions.inc(count),
    messageRejected: (code) => rejected.inc({ code }),
  };
  return { registry, counters, onRowsDropped };
}

/**
 * `GET /metrics` in the text exposition format. Off (404) unless a token is
 * configured; then a scrape must carry `Authorization: Bearer <token>`.
 */
export function createMetricsHandler(metrics: PanelMetrics, token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!expected) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are off: set METRICS_TOKEN to enable /metrics\n');
      return;
    }
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('a valid bearer token is required\n');
      return;
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(body);
  };
}
