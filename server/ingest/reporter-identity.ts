/** Who an API key lets report: one service. */
export interface ReporterIdentity {
  keyId: string;
  serviceId: string;
  serviceName: string;
}

/** Checks reporter API keys (implemented by server/auth/api-keys.ts). */
export interface ApiKeyVerifier {
  verify(key: string): Promise<ReporterIdentity | null>;
}
