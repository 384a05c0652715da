import { isUserError } from '../engine/util/errors';
import type { ApiMethod, ApiResult, TinyArmsApi } from '../../contract/api';
import type { AppApi } from './app-service';
import { errorResult, okResult } from './errors';
import { isApiMethod, payloadError, validateArgs } from './validate';

export type WindowOps = Pick<TinyArmsApi, 'openWindow' | 'closeWindow'>;
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

/** The full contract from the app service and a transport's window operations, methods bound to their owners. */
export function withWindowOps(api: AppApi, windows: WindowOps): DispatchTarget {
  return {
    getState: () => api.getState(),
    onState: (listener) => api.onState(listener),
    getRound: (taskId) => api.getRound(taskId),
    vote: (taskId, choice) => api.vote(taskId, choice),
    setPreference: (key, value) => api.setPreference(key, value),
    getHistory: (skill) => api.getHistory(skill),
    rollback: (skill, version) => api.rollback(skill, version),
    promote: (skill, letter) => api.promote(skill, letter),
    setEvolutionPaused: (paused) => api.setEvolutionPaused(paused),
    runMonitor: () => api.runMonitor(),
    pullModel: () => api.pullModel(),
    cancelEvolution: (skill) => api.cancelEvolution(skill),
    acceptProposal: (id, option) => api.acceptProposal(id, option),
    editProposal: (id, name, option) => api.editProposal(id, name, option),
    skipProposal: (id) => api.skipProposal(id),
    dismissProposal: (id) => api.dismissProposal(id),
    undoRenames: (count) => api.undoRenames(count),
    openWindow: (route) => windows.openWindow(route),
    closeWindow: () => windows.closeWindow(),
  };
}
