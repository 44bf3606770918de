import type { PanelProcess } from '../../tests/fixtures/panel-process';
import type { SdkServiceProcess } from '../../tests/fixtures/sdk-service-process';

/** What a phase of the chaos run can reach and change. */
export interface ChaosContext {
  /** The panel running now; replaced when a phase restarts it. */
  panel(): PanelProcess;
  /** Starts the panel again on the same port and data folder, as a supervisor would; resolves once it serves. */
  restartPanel(): Promise<PanelProcess>;
  /** The embedded Postgres's data folder. */
  dataDir: string;
  /** The reporting fleet: real SDK service processes. */
  fleet: SdkServiceProcess[];
  /** The API key the fleet reports with (for phases that report themselves). */
  apiKey: string;
  /** Records a fault the phase caused and how long the panel took to serve again after it. */
  recordRecovery(fault: string, recoveryMs: number): void;
  log(line: string): void;
}

/**
 * One kind of trouble, caused once per call while the fleet reports. Phases
 * run in turn, the list over and over, until the run's time is up; each
 * leaves the panel serving when it returns.
 */
export interface ChaosPhase {
  name: string;
  run(context: ChaosContext): Promise<void>;
}
