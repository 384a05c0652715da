import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NEW_CONFIG_HEADER } from '../../engine/config/config-store';
import * as fake from './fake-electron';
import { electronShellOps, quickLookThumbnail } from './shell-ops';
import { createWindowManager, nativeChrome } from './windows';

vi.mock('electron', () => import('./fake-electron'));

let dir: string;
beforeEach(() => {
  fake.resetFakeElectron();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-shell-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sender = { id: 3 } as never;
const windows = { open: () => {}, closeFor: () => {}, windowOf: () => null, fit: vi.fn() };
const ops = (showsPath: (file: string) => boolean = () => true) =>
  electronShellOps({ windows, showsPath, configFile: path.join(dir, 'config.yaml') }, sender);

describe('the Electron shell operations', () => {
  it('asks the native open dialog for a model file or a folder; a cancel is null', async () => {
    fake.dialog.nextOpen = { canceled: false, filePaths: ['/Users/me/models/smol.gguf'] };
    expect(await ops().chooseFile('model')).toBe('/Users/me/models/smol.gguf');
    const [options] = fake.callsOf('dialog.showOpenDialog').at(-1)!;
    expect(options).toMatchObject({ properties: ['openFile'], filters: [{ name: 'GGUF model', extensions: ['gguf'] }] });
    fake.dialog.nextOpen = { canceled: true, filePaths: [] };
    expect(await ops().chooseFile('folder')).toBeNull();
    expect(fake.callsOf('dialog.showOpenDialog').at(-1)![0]).toMatchObject({ properties: ['openDirectory', 'createDirectory'] });
    fake.dialog.nextOpen = { canceled: false, filePaths: ['/Users/me/Dropbox/team'] };
    expect(await ops().chooseFile('team-folder')).toBe('/Users/me/Dropbox/team');
    expect(fake.callsOf('dialog.showOpenDialog').at(-1)![0]).toMatchObject({
      buttonLabel: 'Use Folder',
      properties: ['openDirectory', 'createDirectory'],
    });
  });

  it('reveals in Finder only what the state lists', async () => {
    await ops((file) => file === '/Users/me/Desktop/a.png').revealInFinder('/Users/me/Desktop/a.png');
    expect(fake.callsOf('shell.showItemInFolder')).toEqual([['/Users/me/Desktop/a.png']]);
    await expect(ops(() => false).revealInFinder('/etc/passwd')).rejects.toThrow('tinyArms only shows files it lists in Finder');
  });

  it('opens config.yaml, starting one on a first run', async () => {
    await ops().openConfigFile();
    expect(fs.readFileSync(path.join(dir, 'config.yaml'), 'utf8')).toBe(NEW_CONFIG_HEADER);
    expect(fake.callsOf('shell.openPath')).toEqual([[path.join(dir, 'config.yaml')]]);
  });

  it('makes Quick Look thumbnails as data URLs', async () => {
    expect(await quickLookThumbnail('/Users/me/a.pdf')).toMatch(/^data:image\/png;base64,/);
    expect(fake.callsOf('nativeImage.createThumbnailFromPath')[0]).toEqual(['/Users/me/a.pdf', { width: 192, height: 192 }]);
  });
});

describe('native chrome and fitting the popover', () => {
  it('switches vibrancy on for the popover and hides the title bar of the other windows on macOS only', () => {
    expect(nativeChrome('popover', 'darwin')).toEqual({
      options: expect.objectContaining({ vibrancy: 'popover', visualEffectState: 'active' }),
      flags: ['vibrancy=1'],
    });
    expect(nativeChrome('choice', 'darwin')).toEqual({ options: { titleBarStyle: 'hiddenInset' }, flags: ['titlebar=inset'] });
    expect(nativeChrome('popover', 'linux')).toEqual({ options: {}, flags: [] });
  });

  it('sizes the popover and the choice window to the height their page asks for, within their bounds; not Preferences', () => {
    const manager = createWindowManager({
      pageUrl: (route) => `app://tinyarms/index.html#/${route}`,
      preload: '/p.cjs',
      trayBounds: () => null,
      devTools: false,
      isTrustedUrl: () => true,
    });
    const popover = manager.open('popover') as unknown as fake.BrowserWindow;
    manager.fit(popover.webContents as never, 300);
    expect(popover.contentSize).toEqual([360, 300]);
    manager.fit(popover.webContents as never, 5000);
    expect(popover.contentSize).toEqual([360, 560]);
    manager.fit(popover.webContents as never, 20);
    expect(popover.contentSize).toEqual([360, 160]);
    const choice = manager.open('choice') as unknown as fake.BrowserWindow;
    manager.fit(choice.webContents as never, 318.4);
    expect([choice.contentSize, choice.animated]).toEqual([[480, 318], true]);
    manager.fit(choice.webContents as never, 100);
    expect(choice.contentSize).toEqual([480, 300]);
    const prefs = manager.open('preferences') as unknown as fake.BrowserWindow;
    manager.fit(prefs.webContents as never, 200);
    expect(prefs.contentSize).toBeNull();
  });
});
