import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNginx, nginxConfigFor } from '../../fixtures/nginx-balancer';

const CONFIG = path.resolve(import.meta.dirname, '../../../deploy/nginx.conf');
const nginx = findNginx();

describe('deploy/nginx.conf', () => {
  // nginx is not part of the toolchain; where it is installed, the balancer's configuration is checked by nginx itself.
  it.skipIf(!nginx)('is accepted by nginx -t, with the compose service names pointed at loopback', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'panel-nginx-'));
    try {
      // The compose names resolve only inside compose's network; nginx -t resolves upstream hosts.
      const text = await nginxConfigFor([3001, 3002, 3003], 8080);
      expect(text.match(/server 127\.0\.0\.1:300\d/g)).toHaveLength(3);
      const file = path.join(dir, 'nginx.conf');
      await writeFile(file, text);
      const result = spawnSync(nginx!, ['-t', '-c', file, '-e', path.join(dir, 'error.log'), '-p', dir], { encoding: 'utf8' });
      expect(result.stderr).toMatch(/test is successful/);
      expect(result.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('upgrades websockets and sends the forwarded headers the panel trusts with TRUST_PROXY', async () => {
    const text = await readFile(CONFIG, 'utf8');
    expect(text).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(text).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(text).toMatch(/X-Forwarded-Proto/);
  });
});
