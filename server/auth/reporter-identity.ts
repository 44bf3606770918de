/** Who an API key lets report: one service. */
export interface ReporterIdentity {
  keyId: string;
  serviceId: string;
  serviceName: string;
  /** A demo-fleet service: the UI marks it as such. */
  demo: boolean;
}

/** Checks reporter API keys (implemented by api-keys.ts). */
export interface ApiKeyVerifier {
  verify(key: string): Promise<ReporterIdentity | null>;
}
