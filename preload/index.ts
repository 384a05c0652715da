import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  API_METHODS,
  channelOf,
  STATE_CHANNEL,
  type ApiMethod,
  type ApiResult,
  type AppStateView,
  type TinyArmsApi,
} from '../contract/api';
import { unwrapResult } from '../contract/unwrap';

// The preload: exposes exactly one object, window.tinyArms, implementing the contract. Each method is a
// fixed invoke on its own channel; raw ipcRenderer, events and senders never reach the page. Sandboxed
// preloads cannot import local files at run time, so this is bundled into out/preload/index.cjs.

const invoke =
  (method: ApiMethod) =>
  async (...args: unknown[]): Promise<unknown> =>
    unwrapResult((await ipcRenderer.invoke(channelOf(method), ...args)) as ApiResult);

export function createPreloadApi(): TinyArmsApi {
  const methods = Object.fromEntries(API_METHODS.map((method) => [method, invoke(method)])) as unknown as TinyArmsApi;
  return {
    ...methods,
    onState(listener) {
      if (typeof listener !== 'function') throw new TypeError('onState needs a function');
      const handler = (_event: IpcRendererEvent, state: AppStateView) => listener(state);
      ipcRenderer.on(STATE_CHANNEL, handler);
      return () => {
        ipcRenderer.removeListener(STATE_CHANNEL, handler);
      };
    },
  };
}

contextBridge.exposeInMainWorld('tinyArms', createPreloadApi());
