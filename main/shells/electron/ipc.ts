import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { AppApi } from '../../app/app-service';
import { dispatch, withWindowOps } from '../../app/dispatch';
import { API_METHODS, channelOf, type ApiMethod, type ApiResult } from '../../../contract/api';
import { electronShellOps, type ShellDeps } from './shell-ops';

export interface IpcDeps {
  service: AppApi;
  windows: ShellDeps['windows'];
  /** Whether the state shows a path (Finder may reveal only those). */
  showsPath?: (file: string) => boolean;
  configFile?: string;
  /** Whether a frame URL is the app's own page (sender.ts). */
  isTrustedUrl(url: string): boolean;
  log?: (line: string) => void;
}

/**
 * Answers one invoke: the sender must be the top frame of the app's own page, the payload must pass the
 * method's validator (dispatch), and the answer is an ApiResult either way. Exported for tests.
 */
export async function handleInvoke(deps: IpcDeps, method: ApiMethod, event: IpcMainInvokeEvent, args: unknown[]): Promise<ApiResult> {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !deps.isTrustedUrl(frame.url)) {
    deps.log?.(`tinyArms: refused ${method} from ${frame?.url ?? 'a frame that is gone'}`);
    return { ok: false, error: `refused: ${method} may only be called by the tinyArms page`, code: 'forbidden' };
  }
  const target = withWindowOps(
    deps.service,
    electronShellOps(
      { windows: deps.windows, showsPath: deps.showsPath ?? (() => false), configFile: deps.configFile ?? '' },
      event.sender,
    ),
  );
  return dispatch(target, method, args, (name, error) =>
    deps.log?.(`tinyArms: ${name} failed: ${(error as Error)?.stack ?? String(error)}`),
  );
}

/** One ipcMain.handle per contract method; returns the function that removes them all. */
export function registerIpcHandlers(deps: IpcDeps): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(channelOf(method), (event, ...args: unknown[]) => handleInvoke(deps, method, event, args));
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(channelOf(method));
  };
}
