import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fake-electron';
import { popoverPosition } from './popover-position';
import { isAppPageUrl } from './sender';
import { createWindowManager, WINDOW_SIZES, type WindowManager } from './windows';

vi.mock('electron', () => import('./fake-electron'));

const workArea = { x: 0, y: 25, width: 1440, height: 875 };
const size = { width: 380, height: 540 };

describe('popoverPosition', () => {
  it('centres the popover under the tray icon, on whole pixels', () => {
    expect(popoverPosition({ x: 1000, y: 0, width: 24, height: 24 }, size, workArea)).toEqual({ x: 822, y: 25 });
    expect(popoverPosition({ x: 1000.4, y: 0, width: 23, height: 22 }, size, workArea)).toEqual({ x: 822, y: 25 });
  });

  it('stays inside the work area near the screen edge', () => {
    expect(popoverPosition({ x: 1420, y: 0, width: 20, height: 24 }, size, workArea)).toEqual({ x: 1052, y: 25 });
    expect(popoverPosition({ x: 2, y: 0, width: 20, height: 24 }, size, workArea)).toEqual({ x: 8, y: 25 });
  });

  it('goes above a tray at the bottom of the screen', () => {
    const bottom = { x: 0, y: 0, width: 1920, height: 1040 };
    expect(popoverPosition({ x: 1700, y: 1040, width: 24, height: 40 }, size, bottom)).toEqual({ x: 1522, y: 500 });
  });

  it('falls back to the top-right corner without tray bounds', () => {
    expect(popoverPosition(null, size, workArea)).toEqual({ x: 1052, y: 33 });
    expect(popoverPosition({ x: 0, y: 0, width: 0, height: 0 }, size, workArea)).toEqual({ x: 1052, y: 33 });
  });
});

describe('window manager', () => {
  let windows: WindowManager;
  let trayBounds: { x: number; y: number; width: number; height: number } | null;
  const realPlatform = process.platform;

  beforeEach(() => {
    vi.useFakeTimers();
    fake.resetFakeElectron();
    trayBounds = { x: 1000, y: 0, width: 24, height: 24 };
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    windows = createWindowManager({
      pageUrl: (route) => `app://tinyarms/index.html#/${route}`,
      preload: '/app/out/preload/index.cjs',
      trayBounds: () => trayBounds,
      devTools: false,
      isTrustedUrl: (url) => isAppPageUrl(url),
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    Object.defineProperty(process, 'platform', { value: realPlatform });
  });

  const ready = (win: fake.BrowserWindow) => win.emit('ready-to-show');

  it('loads every window from the one page with its route, sandboxed', () => {
    const popover = windows.open('popover') as unknown as fake.BrowserWindow;
    const choice = windows.open('choice') as unknown as fake.BrowserWindow;
    expect(popover.url).toBe('app://tinyarms/index.html#/popover');
    expect(choice.url).toBe('app://tinyarms/index.html#/choice');
    for (const win of [popover, choice]) {
      expect(win.options.webPreferences).toMatchObject({
        preload: '/app/out/preload/index.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        devTools: false,
      });
      expect(win.webContents.openHandler!()).toEqual({ action: 'deny' });
    }
    expect(popover.options).toMatchObject({ frame: false, ...WINDOW_SIZES.popover, show: false });
    expect(popover.workspaces).toEqual([true, { skipTransformProcessType: true }]);
    expect(choice.options).toMatchObject({ frame: true, ...WINDOW_SIZES.choice });
  });

  it('places the popover under the tray icon and shows it once ready', () => {
    const popover = windows.open('popover') as unknown as fake.BrowserWindow;
    expect(popover.position).toEqual([832, 25]);
    expect(fake.callsOf('screen.getDisplayMatching')).toEqual([[trayBounds]]);
    expect(popover.visible).toBe(false);
    ready(popover);
    expect(popover.visible).toBe(true);
    // The same window again, moved with the icon.
    trayBounds = { x: 600, y: 0, width: 24, height: 24 };
    windows.togglePopover();
    expect(popover.visible).toBe(false);
    windows.togglePopover();
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    expect(popover.position).toEqual([432, 25]);
    expect(popover.visible).toBe(true);
  });

  it('hides the popover on blur and on Esc; Esc closes other windows', () => {
    const popover = windows.open('popover') as unknown as fake.BrowserWindow;
    ready(popover);
    popover.focused = false;
    popover.emit('blur');
    vi.runAllTimers();
    expect(popover.visible).toBe(false);
    expect(popover.destroyed).toBe(false);

    // Esc is the page's: main does not swallow it, so a field or a sheet can cancel first.
    const prefs = windows.open('preferences') as unknown as fake.BrowserWindow;
    ready(prefs);
    const prevented: string[] = [];
    prefs.webContents.emit('before-input-event', { preventDefault: () => prevented.push('esc') }, { type: 'keyDown', key: 'Escape' });
    expect(prefs.destroyed).toBe(false);
    expect(prevented).toEqual([]);
  });

  it('keeps the page from navigating away', () => {
    const win = windows.open('choice') as unknown as fake.BrowserWindow;
    const blocked: string[] = [];
    win.webContents.emit('will-navigate', { preventDefault: () => blocked.push('evil') }, 'https://evil.example/');
    win.webContents.emit('will-navigate', { preventDefault: () => blocked.push('app') }, 'app://tinyarms/index.html#/popover');
    expect(blocked).toEqual(['evil']);
  });

  it('closes the window of a sender and broadcasts to every live window', () => {
    const popover = windows.open('popover') as unknown as fake.BrowserWindow;
    const choice = windows.open('choice') as unknown as fake.BrowserWindow;
    ready(popover);
    ready(choice);
    windows.broadcast('tinyarms:state', { revision: 3 });
    expect(popover.webContents.sent).toEqual([{ channel: 'tinyarms:state', payload: { revision: 3 } }]);
    expect(choice.webContents.sent).toHaveLength(1);
    windows.closeFor(choice.webContents as never);
    expect(choice.destroyed).toBe(true);
    windows.closeFor(popover.webContents as never);
    expect(popover.visible).toBe(false);
    expect(popover.destroyed).toBe(false);
    windows.broadcast('tinyarms:state', { revision: 4 });
    expect(popover.webContents.sent).toHaveLength(2);
  });

  it('preloads the popover hidden', () => {
    windows.preloadPopover();
    windows.preloadPopover();
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    expect(windows.isVisible('popover')).toBe(false);
  });
});
