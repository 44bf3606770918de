import { readFileSync } from 'node:fs';
import path from 'node:path';

export function readVersion(rootDir: string): string {
  const pkg: unknown = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8'));
  return typeof pkg === 'object' && pkg && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
