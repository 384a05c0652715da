import { HTTP_TOKEN_PARAM, type TinyArmsApi } from '../../../contract/api';
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
  dropTokenFromAddress(win);
  return { ok: true, api: createHttpApi(win.location.origin, token), mode: 'browser' };
}

/**
 * Takes the token out of the address bar once it is remembered (sessionStorage), so it does not end up in
 * the history, a bookmark or a screenshot. The route (#/popover) stays.
 */
function dropTokenFromAddress(win: Window): void {
  if (!win.location.href || !win.history) return;
  const url = new URL(win.location.href);
  if (!url.searchParams.has(HTTP_TOKEN_PARAM)) return;
  url.searchParams.delete(HTTP_TOKEN_PARAM);
  try {
    win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  } catch {
    // A sandboxed page may refuse; the token then stays visible, nothing breaks.
  }
}
