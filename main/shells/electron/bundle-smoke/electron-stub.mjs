// Just enough of Electron for the built main process to start, compose and quit under Node. Once the popover
// page is requested it drives a few calls through the real handlers, prints one REPORT line and quits.
import { EventEmitter } from 'node:events';

const report = { trayImages: [], trayTitles: [], windows: [], ipcChannels: [], schemes: [], errors: [] };
const ipcHandlers = new Map();
const protocolHandlers = new Map();

class Image {
  constructor(path) {
    this.path = path;
  }
  setTemplateImage(value) {
    this.template = value;
  }
}
export const nativeImage = { createFromPath: (path) => new Image(path), createThumbnailFromPath: async (path) => new Image(path) };

export class Tray extends EventEmitter {
  constructor(image) {
    super();
    report.trayImages.push(image.path);
  }
  setImage(image) {
    report.trayImages.push(image.path);
  }
  setTitle(title, options) {
    report.trayTitles.push([title, options]);
  }
  setToolTip() {}
  setContextMenu() {}
  popUpContextMenu() {}
  getBounds() {
    return { x: 1000, y: 0, width: 24, height: 24 };
  }
  destroy() {
    report.trayDestroyed = true;
  }
}
export const Menu = { buildFromTemplate: (items) => ({ items }) };

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {}
  close() {}
}

class WebContents extends EventEmitter {
  send() {}
  setWindowOpenHandler() {}
  isDevToolsFocused() {
    return false;
  }
}

let reported = false;
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.destroyed = false;
  }
  loadURL(url) {
    report.windows.push({
      url,
      preload: this.options.webPreferences.preload,
      sandbox: this.options.webPreferences.sandbox,
      contextIsolation: this.options.webPreferences.contextIsolation,
    });
    if (!reported) {
      reported = true;
      setImmediate(() =>
        finish().catch((error) => {
          report.errors.push(String(error?.stack ?? error));
          done();
        }),
      );
    }
    return Promise.resolve();
  }
  setVisibleOnAllWorkspaces() {}
  setPosition() {}
  center() {}
  show() {}
  focus() {}
  hide() {}
  close() {
    this.destroy();
  }
  destroy() {
    this.destroyed = true;
    this.emit('closed');
  }
  isDestroyed() {
    return this.destroyed;
  }
  isVisible() {
    return false;
  }
  isFocused() {
    return false;
  }
}

const workArea = { x: 0, y: 25, width: 1440, height: 875 };
export const screen = { getDisplayMatching: () => ({ workArea }), getPrimaryDisplay: () => ({ workArea }) };

export const ipcMain = {
  handle(channel, handler) {
    ipcHandlers.set(channel, handler);
    report.ipcChannels.push(channel);
  },
  removeHandler(channel) {
    ipcHandlers.delete(channel);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    report.schemes.push(...schemes.map((s) => s.scheme));
  },
  handle(scheme, handler) {
    protocolHandlers.set(scheme, handler);
  },
};

export const dialog = {
  showErrorBox: (title, content) => report.errors.push(`${title}: ${content}`),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
};
export const shell = { showItemInFolder() {}, openPath: async () => '' };
export const powerMonitor = new EventEmitter();
export const session = { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} } };

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  dock: {
    hide() {
      report.dockHidden = true;
    },
  },
  requestSingleInstanceLock: () => true,
  whenReady: () => new Promise((resolve) => setImmediate(resolve)),
  setLoginItemSettings() {},
  setPath(name, value) {
    report.paths = { ...report.paths, [name]: value };
  },
  exit(code) {
    report.errors.push(`app.exit(${code})`);
    done();
  },
  quit() {
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    app.emit('before-quit', event);
    if (!event.defaultPrevented) done();
  },
});

async function finish() {
  const trusted = { sender: {}, senderFrame: { url: 'app://tinyarms/index.html#/popover', parent: null } };
  const state = await ipcHandlers.get('tinyarms:getState')(trusted);
  report.getState = state.ok
    ? { ok: true, dataDir: state.value.dataDir, skills: state.value.skills.map((s) => s.skill), revision: state.value.revision }
    : state;
  report.refused = await ipcHandlers.get('tinyarms:getState')({ sender: {}, senderFrame: { url: 'https://evil.example/', parent: null } });
  const response = await protocolHandlers.get('app')({ url: 'app://tinyarms/index.html' });
  report.page = { status: response.status, csp: response.headers.get('content-security-policy') };
  app.quit();
}

function done() {
  process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
  process.exit(0);
}
