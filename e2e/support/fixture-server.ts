import path from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { REPO_DIR } from './browser';

/** The renderer's Vite dev server, for fixture.html (the app on the fake API with demo data). */
export async function startFixtureServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: ViteDevServer = await createServer({
    configFile: path.join(REPO_DIR, 'renderer', 'vite.config.ts'),
    server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: false },
    logLevel: 'error',
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite dev server did not report a port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}
