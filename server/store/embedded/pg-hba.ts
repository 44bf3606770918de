import { writeFile } from 'node:fs/promises';
import path from 'node:path';

// Only TCP on loopback (the cluster has no Unix socket), only with the password, by SCRAM.
const HBA = `# Written by Breaker Panel at every start of the embedded cluster: edits here are replaced.
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  scram-sha-256
`;

/**
 * Replaces the cluster's pg_hba.conf before it starts: clusters made by older
 * versions allowed the cleartext `password` method, and a hand edit that
 * opened the cluster wider would not survive a start either. Writing in
 * place keeps the file's owner (the `postgres` account when run as root).
 */
export async function writeClusterHba(dataDir: string): Promise<void> {
  await writeFile(path.join(dataDir, 'pg_hba.conf'), HBA);
}
