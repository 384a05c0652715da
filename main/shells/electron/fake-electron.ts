import { EventEmitter } from 'node:events';

// A stand-in for the `electron` module in unit tests (vi.mock('electron', ...)): records what the glue asks for,
// lets a test fire events. Only what main/shells/electron uses is here.

export interface Call {
  name: string;
  args: unknown[];
}

export const calls: Call[] = [];
const record = (name: string, ...args: unknown[]) => calls.push({ name, args });
export const callsOf = (name: string): unknown[][] => calls.filter((c) => c.name === name).map((c) => c.args);

class FakeImage {
  template = false;
  constructor(readonly path: string) {}
  toDataURL() {
    return `data:image/png;base64,${Buffer.from(this.path).toString('base64')}`;
  }
  isEmpty() {
    return false;
  }
  setTemplateImage(value: boolean) {
    this.template = value;
  }
}

export const nativeImage = {
  createFromPath: (file: string) => new FakeImage(file),
  createThumbnailFromPath: async (file: string, size: { width: number; height: number }) => (
    record('nativeImage.createThumbnailFromPath', file, size), new FakeImage(file)
  ),
};

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  image: FakeImage;
  title = '';
  titleOptions: unknown = null;
  tooltip = '';
  destroyed = false;
  contextMenu: unknown = null;
  bounds = { x: 1000, y: 0, width: 24, height: 24 };
  constructor(image: FakeImage) {
    super();
    this.image = image;
    Tray.instances.push(this);
  }
  setImage(image: FakeImage) {
    this.image = image;
  }
  setTitle(title: string, options?: unknown) {
    this.title = title;
    this.titleOptions = options;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown) {
    this.contextMenu = menu;
  }
  popUpContextMenu(menu: unknown) {
    record('tray.popUpContextMenu', menu);
  }
  getBounds() {
    return this.bounds;
  }
  destroy() {
    this.destroyed = true;
  }
}

export interface FakeMenuItem {
  type?: string;
  label?: string;
  checked?: boolean;
  enabled?: boolean;
  accelerator?: string;
  click?: () => void;
}

export const Menu = {
  buildFromTemplate: (items: FakeMenuItem[]) => ({ items }),
};

export class Notification extends EventEmitter {
  static instances: Notification[] = [];
  static supported = true;
  static isSupported() {
    return Notification.supported;
  }
  shown = false;
  closed = false;
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super();
    Notification.instances.push(this);
  }
  show() {
    this.shown = true;
  }
  close() {
    this.closed = true;
    this.emit('close');
  }
}

class FakeWebContents extends EventEmitter {
  sent: { channel: string; payload: unknown }[] = [];
  openHandler: (() => unknown) | null = null;
  devToolsFocused = false;
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: () => unknown) {
    this.openHandler = handler;
  }
  isDevToolsFocused() {
    return this.devToolsFocused;
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static fromWebContents(contents: unknown) {
    return BrowserWindow.instances.find((w) => w.webContents === contents) ?? null;
  }
  webContents = new FakeWebContents();
  visible = false;
  focused = false;
  destroyed = false;
  position: [number, number] | null = null;
  centered = false;
  url: string | null = null;
  workspaces: unknown[] | null = null;
  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string) {
    this.url = url;
    return Promise.resolve();
  }
  setVisibleOnAllWorkspaces(...args: unknown[]) {
    this.workspaces = args;
  }
  setPosition(x: number, y: number) {
    this.position = [x, y];
  }
  contentSize: [number, number] | null = null;
  animated: boolean | undefined = undefined;
  setContentSize(width: number, height: number, animate?: boolean) {
    this.contentSize = [width, height];
    this.animated = animate;
  }
  center() {
    this.centered = true;
  }
  show() {
    this.visible = true;
    this.focused = true;
  }
  focus() {
    this.focused = true;
  }
  hide() {
    this.visible = false;
    this.focused = false;
  }
  close() {
    this.destroy();
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
  }
  isDestroyed() {
    return this.destroyed;
  }
  isVisible() {
    return this.visible;
  }
  isFocused() {
    return this.focused;
  }
}

export const screen = {
  getDisplayMatching: (rect: unknown) => (
    record('screen.getDisplayMatching', rect), { workArea: { x: 0, y: 25, width: 1440, height: 875 } }
  ),
  getPrimaryDisplay: () => ({ workArea: { x: 0, y: 25, width: 1440, height: 875 } }),
};

export const ipcMain = {
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
  handle(channel: string, handler: (...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: async (channel: string, ...args: unknown[]): Promise<unknown> => {
    record('ipcRenderer.invoke', channel, ...args);
    return ipcRendererAnswer(channel, args);
  },
});
let ipcRendererAnswer: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, value: null });
export const setIpcRendererAnswer = (fn: typeof ipcRendererAnswer) => {
  ipcRendererAnswer = fn;
};

export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => record('contextBridge.exposeInMainWorld', key, api),
};

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  gotLock: true,
  dock: { hide: () => record('app.dock.hide') } as { hide(): void } | undefined,
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return this.gotLock;
  },
  quit: () => record('app.quit'),
  exit: (code: number) => record('app.exit', code),
  whenReady: () => Promise.resolve(),
  setLoginItemSettings: (settings: unknown) => record('app.setLoginItemSettings', settings),
});

export const powerMonitor = new EventEmitter();

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) => record('protocol.registerSchemesAsPrivileged', schemes),
  handlers: new Map<string, (request: { url: string }) => unknown>(),
  handle(scheme: string, handler: (request: { url: string }) => unknown) {
    this.handlers.set(scheme, handler);
  },
};

export const dialog = {
  showErrorBox: (title: string, content: string) => record('dialog.showErrorBox', title, content),
  /** What the next open dialog answers (a test sets it). */
  nextOpen: { canceled: true, filePaths: [] as string[] },
  showOpenDialog: async (...args: unknown[]) => (record('dialog.showOpenDialog', ...args), dialog.nextOpen),
  /** The button the next message box answers with (a test sets it; 0 = the first button). */
  nextResponse: 0,
  showMessageBox: async (...args: unknown[]) => (record('dialog.showMessageBox', ...args), { response: dialog.nextResponse }),
};

export const shell = {
  showItemInFolder: (file: string) => record('shell.showItemInFolder', file),
  openPath: async (file: string) => (record('shell.openPath', file), ''),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: unknown) => record('session.setPermissionRequestHandler', handler),
    setPermissionCheckHandler: (handler: unknown) => record('session.setPermissionCheckHandler', handler),
  },
};

/** Forgets every instance, call and handler. */
export function resetFakeElectron(): void {
  calls.length = 0;
  Tray.instances.length = 0;
  Notification.instances.length = 0;
  Notification.supported = true;
  BrowserWindow.instances.length = 0;
  ipcMain.handlers.clear();
  protocol.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRendererAnswer = () => ({ ok: true, value: null });
  app.removeAllListeners();
  app.isPackaged = false;
  app.gotLock = true;
  app.dock = { hide: () => record('app.dock.hide') };
  powerMonitor.removeAllListeners();
  dialog.nextOpen = { canceled: true, filePaths: [] };
  dialog.nextResponse = 0;
}
