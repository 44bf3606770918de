import { startSdkService, type SdkServiceProcess } from '../../fixtures/sdk-service-process';

export const BREAKER = 'payments-api';

/** Real SDK service processes reporting one breaker to a panel, fast enough to make many transitions. */
export async function startFleet(url: string, apiKey: string, names: string[]): Promise<SdkServiceProcess[]> {
  return Promise.all(
    names.map((instance) =>
      startSdkService({ PANEL_URL: url, PANEL_API_KEY: apiKey, SERVICE: 'checkout', INSTANCE: instance, BREAKER, CALL_INTERVAL_MS: '10', REPORT_INTERVAL_MS: '200', OPEN_TIMEOUT_MS: '300' }),
    ),
  );
}

/**
 * Keeps the fleet's breakers moving (failing trips them, healthy closes them
 * again) until stopped, so that transitions are in flight whatever happens
 * meanwhile.
 */
export function stirFleet(fleet: SdkServiceProcess[]): { stop(): void } {
  let failing = false;
  const timer = setInterval(() => {
    failing = !failing;
    for (const service of fleet) if (service.child.connected) service.setMode(failing ? 'failing' : 'healthy');
  }, 400);
  return {
    stop() {
      clearInterval(timer);
      for (const service of fleet) if (service.child.connected) service.setMode('healthy');
    },
  };
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
