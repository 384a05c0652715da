import type { TinyArmsApi } from '../../../contract/api';
import { readToken } from './read-token';

export type ApiMode = 'electron' | 'browser';
export type ApiChoice = { ok: true; api: TinyArmsApi; mode: ApiMode } | { ok: false; message: string };
export type HttpApiFactory = (baseUrl: string, token: string) => TinyArmsApi;

/** Electron's preload bridge when present; otherwise the HTTP client of `tinyarms serve`, keyed by the URL token. */
export function chooseApi(win: Window, createHttpApi: HttpApiFactory): ApiChoice {
  if (win.tinyArms) return { ok: true, api: win.tinyArms, mode: 'electron' };
  let storage: Storage | null = null;
  try {
    storage = win.sessionStorage;
  } catch {
    storage = null;
  }
  const token = readToken(win.location.search, storage);
  if (!token) {
    return { ok: false, message: 'This page needs its access token. Open the link that `tinyarms serve` printed (it ends in ?token=…).' };
  }
  return { ok: true, api: createHttpApi(win.location.origin, token), mode: 'browser' };
}
