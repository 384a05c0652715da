import { app, dialog } from 'electron';
import { createAppRuntime } from '../../app/app-runtime';
import type { AppService } from '../../app/app-service';
import { oneLine } from '../../app/errors';
import type { EvolutionHost } from '../../app/evolution-host';
import { createProposalAlertPolicy } from '../../app/proposal-alerts';
import type { TrayAction } from '../../app/tray-model';
import { createVoteAlertPolicy } from '../../app/vote-alerts';
import type { Engine, EngineOptions } from '../../engine';
import { STATE_CHANNEL, WINDOW_ROUTES, type AppStateView, type WindowRoute } from '../../../contract/api';
import { serveRenderer } from './app-protocol';
import { registerIpcHandlers } from './ipc';
import { applyLaunchAtLogin, onResume } from './lifecycle';
import { createProposalNotifier, createVoteNotifier, resetNotifications } from './notifications';
import type { AppPaths } from './app-paths';
import { APP_PAGE, isAppPageUrl } from './sender';
import { createTray, getTray, resetTray, updateTray } from './tray';
import { quickLookThumbnail } from './shell-ops';
import { createWindowManager, type WindowManager } from './windows';

export interface ComposeOptions {
  paths: AppPaths;
  /** Default: TINYARMS_HOME, else the platform's application-data folder. */
  dataDir?: string | null;
  /** Development only: load the renderer from Vite's dev server instead of app://. */
  devServerUrl?: string | null;
  /** Open this window once started (development, end-to-end tests). */
  openOnStart?: string | null;
  devTools: boolean;
  evolution?: EvolutionHost;
  /** Engine options beyond the data folder and shipped files: a variant generator, a stand-in skill runner, the model. */
  engine?: Omit<EngineOptions, 'dataDir' | 'bundledSkillsDir' | 'defaultsFile' | 'catalogFile'>;
  /** Propose names for new files in watch.folders (default true; watch.enabled still decides). */
  watchFiles?: boolean;
  log?: (line: string) => void;
}

export interface ComposedApp {
  engine: Engine;
  service: AppService;
  windows: WindowManager;
  stop(): Promise<void>;
}

/** Everything the menu-bar app is, wired once the app is ready. main.ts only decides when to call this. */
export async function composeApp(options: ComposeOptions): Promise<ComposedApp> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { paths } = options;
  // The engine, its one model and in-process evolutions; the model loads only when something needs it.
  const runtime = createAppRuntime({
    engine: {
      ...options.engine,
      dataDir: options.dataDir,
      bundledSkillsDir: paths.skills,
      defaultsFile: paths.defaultsFile,
      catalogFile: paths.catalogFile,
    },
    evolution: options.evolution,
    watchFiles: options.watchFiles ?? true,
    shell: { kind: 'electron' },
    // Quick Look previews any file; elsewhere (Linux) the page falls back to the file's kind.
    thumbnail: quickLookThumbnail,
    canPreview: () => process.platform === 'darwin',
    log,
  });
  const { engine, service } = runtime;
  const isTrustedUrl = (url: string) => isAppPageUrl(url, options.devServerUrl);

  if (!options.devServerUrl) serveRenderer(paths.rendererDir);
  const base = options.devServerUrl ? options.devServerUrl.replace(/#.*$/, '') : APP_PAGE;
  const windows = createWindowManager({
    pageUrl: (route, flags = []) => `${base}${flags.length ? `?${flags.join('&')}` : ''}#/${route}`,
    preload: paths.preload,
    trayBounds: () => getTray()?.getBounds() ?? null,
    devTools: options.devTools,
    isTrustedUrl,
  });
  const unregisterIpc = registerIpcHandlers({
    service,
    windows,
    isTrustedUrl,
    log,
    showsPath: (file) => service.showsPath(file),
    configFile: engine.ctx.config.file,
  });

  const report = (error: unknown) => dialog.showErrorBox('tinyArms', oneLine(error));
  const confirmReset = async (skill: string, version: number): Promise<boolean> => {
    const { response } = await dialog.showMessageBox({
      type: 'question',
      buttons: ['Reset', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: `Reset ${skill} to its default prompt?`,
      detail: `Version ${version} stays in the history: roll forward to it from Preferences › History to undo.`,
    });
    return response === 0;
  };
  const onAction = (action: TrayAction): void => {
    const run = (): Promise<unknown> | void => {
      switch (action.kind) {
        case 'open':
          windows.open(action.route);
          return;
        case 'pause':
          return service.setEvolutionPaused(action.paused);
        case 'runMonitor':
          return service.runMonitor();
        case 'reset':
          return confirmReset(action.skill, action.version).then((yes) => (yes ? service.resetToDefault(action.skill) : undefined));
        case 'launchAtLogin':
          return service.setPreference('launchAtLogin', action.enabled);
        case 'quit':
          app.quit();
      }
    };
    Promise.resolve(run()).catch(report);
  };
  createTray({ assetsDir: paths.assets, onClick: () => windows.togglePopover(), onAction });

  const notifier = createVoteNotifier({
    policy: createVoteAlertPolicy(),
    onOpen: () => windows.open('choice'),
    isVoteWindowVisible: () => windows.isVisible('choice'),
  });
  const proposalNotifier = createProposalNotifier({
    policy: createProposalAlertPolicy(),
    onOpen: () => windows.open('popover'),
    isPopoverVisible: () => windows.isVisible('popover'),
  });
  let loginItem: boolean | null = null;
  const onState = (state: AppStateView) => {
    windows.broadcast(STATE_CHANNEL, state);
    updateTray(state);
    notifier.update(state);
    proposalNotifier.update(state);
    if (state.preferences.launchAtLogin !== loginItem) {
      loginItem = state.preferences.launchAtLogin;
      try {
        applyLaunchAtLogin(loginItem);
      } catch (error) {
        log(`tinyArms: could not change the login item: ${oneLine(error)}`);
      }
    }
  };
  const offState = service.onState(onState);
  const offResume = onResume(() => {
    void service.catchUp();
  });

  await service.getState();
  service.start();
  windows.preloadPopover();
  const route = options.openOnStart;
  if (route && (WINDOW_ROUTES as readonly string[]).includes(route)) windows.open(route as WindowRoute);

  let stopped = false;
  return {
    engine,
    service,
    windows,
    async stop() {
      if (stopped) return;
      stopped = true;
      offResume();
      offState();
      unregisterIpc();
      await runtime.stop();
      windows.destroyAll();
      resetNotifications();
      resetTray();
    },
  };
}
