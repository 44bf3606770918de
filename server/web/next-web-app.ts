import next from 'next';
import type { WebApp } from '../panel-server';

/** The Next.js app in `rootDir`, as a request handler on our own server. */
export async function createNextWebApp(options: { rootDir: string; dev: boolean; port: number; host: string }): Promise<WebApp> {
  const app = next({ dev: options.dev, dir: options.rootDir, hostname: options.host, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = options.dev ? app.getUpgradeHandler() : undefined;
  return {
    handleRequest: (req, res) => handle(req, res),
    handleUpgrade: upgrade ? (req, socket, head) => upgrade(req, socket, head) : undefined,
    close: () => app.close(),
  };
}
