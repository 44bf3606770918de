import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** The default instance id: host name and process id, unique on a host at a time. */
export function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}`;
}

/** A fresh id per process start: sequence numbers restart with it. */
export function newRunId(): string {
  return randomUUID();
}
