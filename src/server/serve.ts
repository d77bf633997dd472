// Starts the web server on a port (loopback by default) and stops it cleanly.
import { serve, type ServerType } from '@hono/node-server';
import { createApp, createDeps } from './app.ts';
import type { Deps } from './context.ts';

export interface RunningServer {
  url: string;
  deps: Deps;
  close(): Promise<void>;
}

/**
 * Serves the store; resolves once listening.
 * @example const s = await startServer({ db: 'demo/juki.duckdb', stateDir: 'demo/juki-state', port: 8787 });
 */
export async function startServer(opts: { db: string; stateDir: string; port: number; host?: string }): Promise<RunningServer> {
  const deps = createDeps({ db: opts.db, stateDir: opts.stateDir });
  const app = createApp(deps);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`,
    deps,
    close: () => new Promise<void>((resolve) => {
      deps.downloads.close();
      server.close(() => {
        deps.store.close();
        resolve();
      });
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}
