import { UserError, isUserError } from '../engine';
import { API_METHODS, SHELL_METHODS, type ApiMethod, type ApiResult, type ShellMethod, type TinyArmsApi } from '../../contract/api';
import type { AppApi } from './app-service';
import { errorResult, okResult } from './errors';
import { isApiMethod, payloadError, validateArgs } from './validate';

/** What the shell does itself: windows, native dialogs, Finder. */
export type WindowOps = Pick<TinyArmsApi, ShellMethod>;
export type DispatchTarget = AppApi & WindowOps;

/**
 * One call from a page, by name with raw arguments: validated, run, answered as an ApiResult. The IPC handlers
 * and the HTTP server both come through here, so they cannot drift apart.
 */
export async function dispatch(
  target: DispatchTarget,
  method: unknown,
  args: unknown,
  onInternalError?: (method: string, error: unknown) => void,
): Promise<ApiResult> {
  try {
    if (!isApiMethod(method)) throw payloadError(`unknown method ${JSON.stringify(String(method)).slice(0, 60)}`, 'unknown_method');
    const valid = validateArgs(method as ApiMethod, args) as unknown[];
    const fn = target[method as ApiMethod] as (...a: unknown[]) => Promise<unknown>;
    const value = await fn.apply(target, valid);
    // void methods answer null: undefined does not survive JSON.
    return okResult(value === undefined ? null : value);
  } catch (error) {
    if (!isUserError(error)) onInternalError?.(String(method), error);
    return errorResult(error);
  }
}

/** The full contract from the app service and a shell's own operations, methods bound to their owners. */
export function withWindowOps(api: AppApi, windows: WindowOps): DispatchTarget {
  const shell = new Set<string>(SHELL_METHODS);
  const bound = Object.fromEntries(
    API_METHODS.map((method) => {
      const owner = (shell.has(method) ? windows : api) as unknown as Record<string, (...args: unknown[]) => unknown>;
      return [method, (...args: unknown[]) => owner[method](...args)];
    }),
  );
  return { ...bound, onState: (listener) => api.onState(listener) } as DispatchTarget;
}

const notInBrowser = (what: string) => async (): Promise<never> => {
  throw new UserError(`${what} needs the tinyArms app; in the browser, type the path instead`, { code: 'not_available' });
};

/**
 * Browser mode's shell: the page navigates its own windows, cannot size itself, and has no native dialogs or
 * Finder (the page shows paths and text fields instead; it never calls these, but a script might).
 */
export const browserShellOps: WindowOps = {
  openWindow: async () => {},
  closeWindow: async () => {},
  fitWindow: async () => {},
  chooseFile: notInBrowser('choosing a file'),
  revealInFinder: notInBrowser('showing a file in Finder'),
  openConfigFile: notInBrowser('opening config.yaml'),
};
