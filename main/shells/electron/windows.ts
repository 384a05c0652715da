import { BrowserWindow, screen, type Rectangle, type WebContents } from 'electron';
import { WINDOW_SIZES, WINDOW_TITLES, type WindowRoute } from '../../../contract/api';
import { popoverPosition } from './popover-position';

export interface WindowManagerOptions {
  /** The page URL for a route, e.g. app://tinyarms/index.html#/choice. */
  pageUrl(route: WindowRoute): string;
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
  broadcast(channel: string, payload: unknown): void;
  isVisible(route: WindowRoute): boolean;
  get(route: WindowRoute): BrowserWindow | null;
  destroyAll(): void;
}

export { WINDOW_SIZES };

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
    const win = new BrowserWindow({
      ...WINDOW_SIZES[route],
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
    void win.loadURL(options.pageUrl(route));
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
