import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS, channelOf, STATE_CHANNEL, type TinyArmsApi } from '../../../contract/api';
import * as fake from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let api: TinyArmsApi;
beforeAll(async () => {
  fake.resetFakeElectron();
  await import('../../../preload/index');
  const exposed = fake.callsOf('contextBridge.exposeInMainWorld');
  expect(exposed).toHaveLength(1);
  expect(exposed[0][0]).toBe('tinyArms');
  api = exposed[0][1] as TinyArmsApi;
});
beforeEach(() => fake.resetFakeElectron());

describe('preload', () => {
  it('exposes exactly the contract as window.tinyArms, and nothing of ipcRenderer', () => {
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, 'onState'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.values(api)).not.toContain(fake.ipcRenderer);
  });

  it('invokes each method on its channel and unwraps the answer', async () => {
    fake.setIpcRendererAnswer((channel) =>
      channel === channelOf('getRound') ? { ok: true, value: { taskId: 't' } } : { ok: true, value: null },
    );
    expect(await api.getRound('t')).toEqual({ taskId: 't' });
    await api.vote('t', '1');
    expect(fake.callsOf('ipcRenderer.invoke')).toEqual([
      ['tinyarms:getRound', 't'],
      ['tinyarms:vote', 't', '1'],
    ]);
  });

  it('turns a refusal into an Error with the one-line message', async () => {
    fake.setIpcRendererAnswer(() => ({ ok: false, error: 'vote: expects 2 arguments (got 1)', code: 'bad_payload' }));
    await expect(api.getState()).rejects.toThrow('vote: expects 2 arguments (got 1)');
  });

  it('passes state pushes without the IPC event, and unsubscribes', () => {
    const seen: unknown[] = [];
    const off = api.onState((state) => seen.push(state));
    fake.ipcRenderer.emit(STATE_CHANNEL, { sender: 'secret' }, { revision: 2 });
    off();
    fake.ipcRenderer.emit(STATE_CHANNEL, { sender: 'secret' }, { revision: 3 });
    expect(seen).toEqual([{ revision: 2 }]);
    expect(fake.ipcRenderer.listenerCount(STATE_CHANNEL)).toBe(0);
  });
});
