import path from 'node:path';
import type { AppService } from '../../app/app-service';
import { browserShellOps, withWindowOps } from '../../app/dispatch';
import { APP_ROOT } from '../../engine';
import { startApiServer, type ApiServer, type RouteGroup } from './http-server';
import { taskRoutes } from './task-routes';

export const DEFAULT_RENDERER_DIR = path.join(APP_ROOT, 'renderer', 'dist');

export interface BrowserModeOptions {
  service: AppService;
  host?: string;
  port?: number;
  token?: string;
  rendererDir?: string;
  routeGroups?: RouteGroup[];
  /** Start the monitor's schedule, the watch for outside changes and file naming (default true). */
  schedule?: boolean;
  log?: (line: string) => void;
}

export interface BrowserMode {
  service: AppService;
  server: ApiServer;
  url: string;
  close(): Promise<void>;
}

/** `tinyarms serve`: the app service with its schedule, behind the HTTP server. close() stops the service; the engine stays the caller's. */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const { service, host, port, token, rendererDir, routeGroups, schedule } = options;
  // Windows are the page's business in browser mode (its client navigates location.hash itself); no native dialogs.
  const target = withWindowOps(service, browserShellOps);
  const server = await startApiServer({
    target,
    rendererDir: rendererDir ?? DEFAULT_RENDERER_DIR,
    host,
    port,
    token,
    // The task API for other local tools: the same token, Host checks and model as the page.
    routeGroups: [taskRoutes({ engine: service.engine, onChange: () => service.refresh() }), ...(routeGroups ?? [])],
    log: options.log,
  });
  if (schedule ?? true) service.start();
  return {
    service,
    server,
    url: server.pageUrl('popover'),
    async close() {
      await server.close();
      await service.stop();
    },
  };
}
