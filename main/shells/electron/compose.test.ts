import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ROOT } from '../../engine/data-paths';
import { VARIANTS } from '../../test-support/temp-engine';
import { API_METHODS, channelOf, STATE_CHANNEL, type AppStateView } from '../../../contract/api';
import { composeApp, type ComposedApp } from './compose';
import * as fake from './fake-electron';
import { appPaths } from './app-paths';
import { resetNotifications } from './notifications';
import { resetTray } from './tray';

vi.mock('electron', () => import('./fake-electron'));

let dataDir: string;
let composed: ComposedApp;
const realPlatform = process.platform;
const trusted = { sender: {}, senderFrame: { url: 'app://tinyarms/index.html?vibrancy=1#/popover', parent: null } };

beforeEach(async () => {
  Object.defineProperty(process, 'platform', { value: 'darwin' });
  fake.resetFakeElectron();
  resetTray();
  resetNotifications();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-compose-'));
  composed = await composeApp({ paths: appPaths(APP_ROOT), dataDir, devTools: false, log: () => {} });
});

afterEach(async () => {
  await composed.stop();
  Object.defineProperty(process, 'platform', { value: realPlatform });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the composed menu-bar app', () => {
  it('starts with a tray icon, a hidden popover, the app protocol and every IPC channel', async () => {
    expect(fake.Tray.instances).toHaveLength(1);
    expect(fake.BrowserWindow.instances.map((w) => w.url)).toEqual(['app://tinyarms/index.html?vibrancy=1#/popover']);
    expect(fake.BrowserWindow.instances[0].visible).toBe(false);
    expect(fake.protocol.handlers.has('app')).toBe(true);
    expect(fake.ipcMain.handlers.size).toBe(API_METHODS.length);
    const answer = (await fake.ipcMain.handlers.get(channelOf('getState'))!(trusted)) as { ok: boolean; value: AppStateView };
    expect(answer.ok).toBe(true);
    expect(answer.value.dataDir).toBe(dataDir);
    expect(answer.value.skills.map((s) => s.skill)).toEqual(['audio-actions', 'code-linting-fast', 'file-naming', 'markdown-analysis']);
  });

  it('turns a waiting vote into a tray state, a notification and a push to the windows', () => {
    const { engine, service } = composed;
    const session = engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
    engine.sessions.openRound(session.id, { taskId: 'task-1', input: 'IMG_1.png', outputs: { A: 'a.png', B: 'b.png', C: 'c.png' } });
    service.refresh();
    const tray = fake.Tray.instances[0];
    expect(tray.title).toBe('• vote');
    expect(tray.image).toMatchObject({ path: path.join(APP_ROOT, 'assets', 'trayVoteTemplate.png') });
    expect(fake.Notification.instances.map((n) => n.options.title)).toEqual(['tinyArms: a vote is waiting']);
    fake.Notification.instances[0].emit('click');
    const choice = fake.BrowserWindow.instances.find((w) => w.url?.endsWith('#/choice'));
    expect(choice).toBeDefined();
    const pushed = fake.BrowserWindow.instances[0].webContents.sent.filter((m) => m.channel === STATE_CHANNEL);
    expect((pushed.at(-1)!.payload as AppStateView).pendingVotes.map((r) => r.taskId)).toEqual(['task-1']);
  });

  it('applies launch at login from the tray menu through config.yaml', async () => {
    const menu = fake.Tray.instances[0];
    expect(menu).toBeDefined();
    const { getTrayMenu } = await import('./tray');
    const item = (getTrayMenu() as unknown as { items: fake.FakeMenuItem[] }).items.find((i) => i.label === 'Launch at login')!;
    item.click!();
    await vi.waitFor(() => expect(fake.callsOf('app.setLoginItemSettings').at(-1)).toEqual([{ openAtLogin: true }]));
    expect(fs.readFileSync(path.join(dataDir, 'config.yaml'), 'utf8')).toMatch(/launch_at_login: true/);
  });

  it('resets a skill from the tray menu after the person confirms, and does nothing when they cancel', async () => {
    const { engine, service } = composed;
    engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
    engine.promoteByHand('file-naming', 'B');
    service.refresh();
    const { getTrayMenu } = await import('./tray');
    const resetItem = () =>
      (getTrayMenu() as unknown as { items: fake.FakeMenuItem[] }).items.find((i) => i.label === 'Reset File Naming to Default Prompt…');
    fake.dialog.nextResponse = 1;
    resetItem()!.click!();
    await vi.waitFor(() => expect(fake.callsOf('dialog.showMessageBox')).toHaveLength(1));
    expect(fake.callsOf('dialog.showMessageBox')[0][0]).toMatchObject({ message: 'Reset file-naming to its default prompt?' });
    expect(engine.prompts.active('file-naming').version).toBe(2);
    fake.dialog.nextResponse = 0;
    resetItem()!.click!();
    await vi.waitFor(() => expect(engine.prompts.active('file-naming').version).toBe(1));
    service.refresh();
    expect(resetItem()).toBeUndefined();
  });

  it('catches up after sleep', () => {
    const catchUp = vi.spyOn(composed.service, 'catchUp');
    fake.powerMonitor.emit('resume');
    expect(catchUp).toHaveBeenCalledTimes(1);
  });

  it('stops cleanly: icon gone, channels removed, engine closed', async () => {
    await composed.stop();
    expect(fake.Tray.instances[0].destroyed).toBe(true);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(fake.BrowserWindow.instances.every((w) => w.destroyed)).toBe(true);
    expect(() => composed.engine.allStats()).toThrow();
  });
});
