import { describe, expect, it } from 'vitest';
import { NODE_SDK_NAME, reporterClient, sourceSdkName } from '../../../lib/api/reporter-client';
import { createAggregate } from '../../../server/aggregate/aggregate';
import { nameFullReport } from '../../../server/ingest/named-report';
import { sdkOf, sdkVersionText } from '../../../server/store/sdk-version';
import { breakerConfig, instanceRun } from '../../fixtures/protocol-messages';

describe('reporterClient', () => {
  it.each([
    [{ name: NODE_SDK_NAME, language: 'typescript' }, 'breaker-panel', 'socket', 'node-sdk'],
    [{ name: NODE_SDK_NAME, language: 'typescript' }, 'opossum', 'socket', 'opossum'],
    [{ name: 'breaker-panel-python', language: 'Python' }, 'breaker-panel', 'http', 'python'],
    [{ name: 'curl-loop', language: 'bash' }, null, 'http', 'http'],
    [{ name: 'go-client', language: 'go' }, null, 'socket', 'other'],
    [null, null, null, 'other'],
  ] as const)('%j, %s, over %s → %s', (sdk, implementation, transport, kind) => {
    expect(reporterClient(sdk, implementation, transport).kind).toBe(kind);
  });

  it('reads the name and language back from the text the catalog stores', () => {
    expect(sdkOf(sdkVersionText({ name: '@breaker-panel/sdk', version: '0.1.0', language: 'typescript' }))).toEqual({ name: '@breaker-panel/sdk', language: 'typescript' });
    expect(sdkOf('garbled')).toBeNull();
    expect(sdkOf(null)).toBeNull();
  });
});

describe("the aggregate's clients", () => {
  it('shows each instance its client and transport, and the breaker the clients of all its instances, kept up to date', () => {
    const aggregate = createAggregate({ now: () => 1_000_000, staleAfterMs: 3_000, bucketSeconds: 10 });
    const node = instanceRun('checkout', 'node-1');
    const python = instanceRun('checkout', 'py-1');
    aggregate.register(
      { id: 'i-node', serviceId: 's1', serviceName: 'checkout', name: 'node-1', labels: {}, runId: node.ref.runId, sdk: { name: NODE_SDK_NAME, language: 'typescript' } },
      [{ breakerId: 'b1', name: 'payments', config: { ...breakerConfig, implementation: 'opossum' } }],
      1_000_000,
    );
    aggregate.setTransport('i-node', 'socket');
    expect(aggregate.summary('b1')!.clients).toEqual({ kinds: ['opossum'], httpInstances: 0 });

    aggregate.register(
      { id: 'i-py', serviceId: 's1', serviceName: 'checkout', name: 'py-1', labels: {}, runId: python.ref.runId, sdk: { name: 'bp-python', language: 'python' } },
      [{ breakerId: 'b1', name: 'payments', config: breakerConfig }],
      1_000_000,
    );
    expect(aggregate.summary('b1')!.clients).toEqual({ kinds: ['opossum', 'python'], httpInstances: 0 });
    aggregate.setTransport('i-py', 'http');
    expect(aggregate.summary('b1')!.clients).toEqual({ kinds: ['opossum', 'python'], httpInstances: 1 });

    aggregate.applyReport('i-node', nameFullReport(node.report([node.breaker('payments', {})])));
    aggregate.applyReport('i-py', nameFullReport(python.report([python.breaker('payments', {})])));
    expect(aggregate.instancesOf('b1').map((instance) => [instance.name, instance.client])).toEqual([
      ['node-1', { kind: 'opossum', sdk: `${NODE_SDK_NAME} typescript`, transport: 'socket', readOnly: false }],
      ['py-1', { kind: 'python', sdk: 'bp-python python', transport: 'http', readOnly: false }],
    ]);
  });
});

describe('source clients', () => {
  it('names the source kind and whether the panel can steer it', () => {
    expect(reporterClient({ name: sourceSdkName('resilience4j-actuator', false), language: 'java' }, null, 'http')).toEqual({
      kind: 'resilience4j-actuator',
      sdk: 'breaker-panel-source:resilience4j-actuator java',
      transport: 'http',
      readOnly: false,
    });
    expect(reporterClient({ name: sourceSdkName('resilience4j-actuator', true), language: 'java' }, null, 'http').readOnly).toBe(true);
    expect(reporterClient({ name: sourceSdkName('prometheus', false), language: 'prometheus' }, null, 'http')).toMatchObject({ kind: 'prometheus', readOnly: true });
    expect(reporterClient({ name: 'breaker-panel-source:nonsense', language: 'x' }, null, 'http')).toMatchObject({ kind: 'http', readOnly: false });
  });
});
