import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppApi } from '../../app/app-service';
import { stateFixture } from '../../test-support/app-state-fixture';
import { API_METHODS, channelOf, type WindowRoute } from '../../../contract/api';
import * as fake from './fake-electron';
import { registerIpcHandlers } from './ipc';
import { isAppPageUrl } from './sender';

vi.mock('electron', () => import('./fake-electron'));

const calls: unknown[][] = [];
const opened: WindowRoute[] = [];
const closed: unknown[] = [];
const service = new Proxy({} as AppApi, {
  get:
    (_target, name: string) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      if (name === 'getState') return stateFixture();
      if (name === 'vote') return { round: null, duplicate: false, conclusion: null };
      return undefined;
    },
});

const sender = { id: 7 };
const event = (url: string | null, parent: unknown = null) => ({ sender, senderFrame: url === null ? null : { url, parent } });
const invoke = (method: string, ev: unknown, ...args: unknown[]) => fake.ipcMain.handlers.get(channelOf(method as never))!(ev, ...args);

let unregister: () => void;
beforeEach(() => {
  fake.resetFakeElectron();
  calls.length = 0;
  opened.length = 0;
  closed.length = 0;
  unregister = registerIpcHandlers({
    service,
    windows: { open: (route) => void opened.push(route), closeFor: (s) => void closed.push(s), windowOf: () => null, fit: () => {} },
    isTrustedUrl: (url) => isAppPageUrl(url),
    log: () => {},
  });
});

describe('ipc handlers', () => {
  it('registers one channel per contract method and removes them again', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map(channelOf).sort());
    unregister();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('answers the app page with an ApiResult', async () => {
    const result = await invoke('getState', event('app://tinyarms/index.html#/popover'));
    expect(result).toMatchObject({ ok: true, value: { revision: 1 } });
    expect(await invoke('vote', event('app://tinyarms/index.html#/choice'), 'task-1', '2')).toMatchObject({ ok: true });
    expect(calls).toEqual([['getState'], ['vote', 'task-1', '2']]);
  });

  it('refuses a sender that is not the app page, before the engine sees anything', async () => {
    const refused = [
      event('https://evil.example/#/popover'),
      event('file:///Users/me/Downloads/page.html'),
      event('app://other/index.html'),
      event('app://tinyarms/index.html', { url: 'app://tinyarms/index.html' }),
      event(null),
    ];
    for (const ev of refused) {
      expect(await invoke('setPreference', ev, 'trayTitle', false)).toEqual({
        ok: false,
        error: 'refused: setPreference may only be called by the tinyArms page',
        code: 'forbidden',
      });
    }
    expect(calls).toEqual([]);
  });

  it('refuses a bad payload with one line, before the engine sees it', async () => {
    const ev = event('app://tinyarms/index.html#/preferences');
    expect(await invoke('setPreference', ev, 'trayTitle', 'yes')).toEqual({
      ok: false,
      error: 'setPreference: trayTitle must be true or false (got "yes")',
      code: 'bad_payload',
    });
    expect(await invoke('rollback', ev, 'file-naming')).toMatchObject({ ok: false, code: 'bad_payload' });
    expect(await invoke('openWindow', ev, 'https://evil.example')).toMatchObject({ ok: false, code: 'bad_payload' });
    expect(calls).toEqual([]);
  });

  it("opens windows by route and closes the sender's own window", async () => {
    const ev = event('app://tinyarms/index.html#/popover');
    expect(await invoke('openWindow', ev, 'choice')).toEqual({ ok: true, value: null });
    expect(await invoke('closeWindow', ev)).toEqual({ ok: true, value: null });
    expect(opened).toEqual(['choice']);
    expect(closed).toEqual([sender]);
  });
});
