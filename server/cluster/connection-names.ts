/** The application_name of a server's own Postgres connections, by purpose (Postgres keeps its first 63 bytes). */
export const connectionNameOf = (serverId: string, purpose: string) => `breaker-panel ${serverId} ${purpose}`;
