import { authorizationOf } from '../credential-box';
import type { SourceKindDefinition } from '../source-adapter';
import { HystrixSource } from './hystrix-source';

/** Hystrix event streams: one held connection per target, read-only. */
export const HYSTRIX_KIND: SourceKindDefinition = {
  clientKind: 'hystrix',
  language: 'java',
  start({ source, sink, logger, now, timeoutMs }) {
    const adapter = new HystrixSource({
      sourceId: source.id,
      service: source.service,
      targets: source.targets,
      authorization: authorizationOf(source.credentials),
      sink,
      logger,
      now,
      stream: { connectTimeoutMs: timeoutMs },
    });
    adapter.start();
    return adapter;
  },
};
