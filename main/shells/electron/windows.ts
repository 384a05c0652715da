import { BrowserWindow, screen, type Rectangle, type WebContents } from 'electron';
import { CHOICE_MIN_HEIGHT, POPOVER_MIN_HEIGHT, WINDOW_SIZES, WINDOW_TITLES, type WindowRoute } from '../../../contract/api';
import { popoverPosition } from './popover-position';

export interface WindowManagerOptions {
  /** The page URL for a route with the page's flags, e.g. app://tinyarms/index.html?vibrancy=1#/popover. */
  pageUrl(route: WindowRoute, flags?: readonly string[]): string;
  preload: string;
  /** The tray icon's bounds, for the popover; null when unknown. */
  trayBounds(): Rectangle | null;
  devTools: boolean;
  isTrustedUrl(url: string): boolean;
}

export interface WindowManager {
  open(route: WindowRoute): BrowserWindow;
  togglePopover(): void;
  /** Creates the popover hidden, so the first click shows it at once. */
  preloadPopover(): void;
  closeFor(sender: WebContents): void;
  /** The window showing a page, if it is one of ours. */
  windowOf(sender: WebContents): BrowserWindow | null;
  /** Sizes the popover to the height its content asks for, within its bounds; other windows keep their size. */
  fit(sender: WebContents, height: number): void;
  broadcast(channel: string, payload: unknown): void;
  isVisible(route: WindowRoute): boolean;
  get(route: WindowRoute): BrowserWindow | null;
  destroyAll(): void;
}

export { WINDOW_SIZES };

/**
 * macOS chrome per window: the popover is a vibrant popover material (the page lets it through when loaded
 * with ?vibrancy=1); the choice window and Preferences draw their own title and toolbar in a hidden title bar
 * (one title, a unified toolbar; the page pads for the traffic lights when loaded with ?titlebar=inset).
 * Elsewhere the system frame stays and the page draws no chrome of its own beyond its header.
 */
export function nativeChrome(route: WindowRoute, platform: NodeJS.Platform): { options: Record<string, unknown>; flags: string[] } {
  if (platform !== 'darwin') return { options: {}, flags: [] };
  if (route === 'popover') {
    return {
      options: { vibrancy: 'popover', visualEffectState: 'active', backgroundColor: '#00000000', roundedCorners: true },
      flags: ['vibrancy=1'],
    };
  }
  return { options: { titleBarStyle: 'hiddenInset' }, flags: ['titlebar=inset'] };
}

// The popover hides when it loses focus; a short delay lets a click on the tray icon toggle it instead of
// hiding and immediately re-opening it.
const BLUR_HIDE_MS = 100;

/**
 * The app's three windows, one per route, all loading the one renderer page (Kap's window registry: any module
 * can open a window by route without importing it). Every window is sandboxed with context isolation; the
 * page may not open windows or navigate away; Esc closes.
 */
export function createWindowManager(options: WindowManagerOptions): WindowManager {
  const windows = new Map<WindowRoute, BrowserWindow>();
  const ready = new WeakSet<BrowserWindow>();

  const live = (route: WindowRoute): BrowserWindow | null => {
    const win = windows.get(route);
    return win && !win.isDestroyed() ? win : null;
  };

  const dismiss = (route: WindowRoute, win: BrowserWindow) => {
    if (route === 'popover') win.hide();
    else win.close();
  };

  function create(route: WindowRoute): BrowserWindow {
    const popover = route === 'popover';
    const chrome = nativeChrome(route, process.platform);
    const win = new BrowserWindow({
      ...WINDOW_SIZES[route],
      ...chrome.options,
      // The renderer's layouts are designed for these sizes of page, not of window frame.
      useContentSize: true,
      title: WINDOW_TITLES[route],
      show: false,
      frame: !popover,
      resizable: !popover,
      movable: !popover,
      minimizable: !popover,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: popover,
      webPreferences: {
        preload: options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        devTools: options.devTools,
        navigateOnDragDrop: false,
      },
    });
    // Keeps the popover on the current Space without bringing the Dock icon back.
    if (popover && process.platform === 'darwin') win.setVisibleOnAllWorkspaces(true, { skipTransformProcessType: true });
    const contents = win.webContents;
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!options.isTrustedUrl(url)) event.preventDefault();
    });
    // Esc belongs to the page: it first cancels an edit or a sheet, and only then closes (api.closeWindow).
    win.once('ready-to-show', () => ready.add(win));
    if (popover) {
      win.on('blur', () => {
        setTimeout(() => {
          if (!win.isDestroyed() && !win.isFocused() && !contents.isDevToolsFocused()) win.hide();
        }, BLUR_HIDE_MS);
      });
    }
    win.on('closed', () => {
      if (windows.get(route) === win) windows.delete(route);
    });
    windows.set(route, win);
    void win.loadURL(options.pageUrl(route, chrome.flags));
    return win;
  }

  function place(win: BrowserWindow): void {
    const tray = options.trayBounds();
    const display = tray && (tray.width > 0 || tray.height > 0) ? screen.getDisplayMatching(tray) : screen.getPrimaryDisplay();
    const { x, y } = popoverPosition(tray, WINDOW_SIZES.popover, display.workArea);
    win.setPosition(x, y, false);
  }

  function reveal(win: BrowserWindow): void {
    if (ready.has(win)) {
      win.show();
      win.focus();
    } else {
      win.once('ready-to-show', () => {
        win.show();
        win.focus();
      });
    }
  }

  const manager: WindowManager = {
    open(route) {
      const win = live(route) ?? create(route);
      if (route === 'popover') place(win);
      else if (!win.isVisible()) win.center();
      reveal(win);
      return win;
    },
    togglePopover() {
      const win = live('popover');
      if (win?.isVisible()) win.hide();
      else manager.open('popover');
    },
    preloadPopover() {
      if (!live('popover')) create('popover');
    },
    windowOf(sender) {
      for (const win of windows.values()) if (!win.isDestroyed() && win.webContents === sender) return win;
      return null;
    },
    fit(sender, height) {
      const route = (['popover', 'choice'] as const).find((r) => live(r)?.webContents === sender);
      const win = route && live(route);
      if (!route || !win) return;
      const size = WINDOW_SIZES[route];
      const min = route === 'popover' ? POPOVER_MIN_HEIGHT : CHOICE_MIN_HEIGHT;
      // The choice window keeps its top edge (Electron resizes from the top-left) and animates, as sheets do.
      win.setContentSize(size.width, Math.round(Math.min(size.height, Math.max(min, height))), route === 'choice');
      if (route === 'popover' && win.isVisible()) place(win);
    },
    closeFor(sender) {
      for (const [route, win] of windows) {
        if (!win.isDestroyed() && win.webContents === sender) dismiss(route, win);
      }
    },
    broadcast(channel, payload) {
      for (const win of windows.values()) {
        if (!win.isDestroyed()) win.webContents.send(channel, payload);
      }
    },
    isVisible: (route) => live(route)?.isVisible() ?? false,
    get: (route) => live(route),
    destroyAll() {
      for (const win of windows.values()) if (!win.isDestroyed()) win.destroy();
      windows.clear();
    },
  };
  return manager;
}
