import { app, powerMonitor, session } from 'electron';

/** The single-instance lock: a second launch quits and wakes the first (which shows its popover). */
export function acquireSingleInstance(onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onSecondInstance());
  return true;
}

/**
 * No Dock icon. The packaged app says so in Info.plist (LSUIElement, electron-builder.yml); a development run
 * has Electron's own Info.plist, so it hides the Dock icon at run time.
 */
export function hideDockInDevelopment(): void {
  if (process.platform === 'darwin' && !app.isPackaged) app.dock?.hide();
}

/** A menu-bar app keeps running with every window closed. */
export function keepRunningWithoutWindows(): void {
  app.on('window-all-closed', () => {});
}

/** After sleep, the schedule catches up (scheduler.runNow()). Returns the unsubscribe function. */
export function onResume(callback: () => void): () => void {
  powerMonitor.on('resume', callback);
  return () => {
    powerMonitor.off('resume', callback);
  };
}

/** Launch at login follows the preference; systems without login items are left alone. */
export function applyLaunchAtLogin(enabled: boolean): void {
  if (process.platform !== 'darwin' && process.platform !== 'win32') return;
  app.setLoginItemSettings({ openAtLogin: enabled });
}

// Copying a prompt or a file name is the one thing the page may ask for.
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** The page needs no camera, microphone, notifications or any other permission: refuse all but the clipboard write. */
export function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}

/** No webviews anywhere, and no window opened by any page. */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
