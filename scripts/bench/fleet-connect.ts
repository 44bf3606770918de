import type { BenchChild } from './child';
import type { FleetMessage, FleetRequest } from './messages';
import { int } from './report';

/** The simulated fleet's child process, as the orchestrators drive it. */
export type Fleet = BenchChild<FleetRequest, FleetMessage>;

/** Connects and registers every instance of the fleet with `what`, failing the run if any cannot. */
export async function connectFleet(fleet: Fleet, what: string): Promise<void> {
  fleet.send({ type: 'connect' });
  const connected = await fleet.next('connected', 180_000);
  if (connected.failed > 0) throw new Error(`${connected.failed} instances could not connect to ${what}: ${connected.firstError}`);
  console.log(`  ${int(connected.registered)} instances connected and registered with ${what} in ${(connected.connectMs / 1000).toFixed(1)} s`);
}
