/**
 * The versioned agent wire protocol: what an instrumented service and the
 * Breaker Panel server say to each other over Socket.IO (`/agent`) or HTTP
 * (`POST /api/v1/reports`, `GET /api/v1/commands`). docs/protocol.md explains it for other languages.
 *
 * Relative imports here end in `.js` for the SDK's Node ESM build, which
 * Turbopack cannot map to `.ts`: browser code imports only types from
 * lib/protocol (values it needs live in lib/ files without these imports).
 */
export * from './ack.js';
export * from './agent-events.js';
export * from './breaker-config.js';
export * from './breaker-report.js';
export * from './breaker-state.js';
export * from './command.js';
export * from './command-poll.js';
export * from './identity.js';
export * from './instance-register.js';
export * from './latency-buckets.js';
export * from './report-batch.js';
export * from './storable.js';
export * from './transition.js';
export * from './version.js';
export * from './retry-backoff.js';
export * from './compact-report.js';
