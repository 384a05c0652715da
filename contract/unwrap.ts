import type { ApiResult } from './api';

/** The value of an ApiResult, or an Error carrying its one-line message (and code, for views that branch on it). */
export function unwrapResult<T>(result: ApiResult<T> | null | undefined): T {
  if (result && typeof result === 'object' && 'ok' in result) {
    if (result.ok) return result.value;
    const error = new Error(result.error) as Error & { code?: string };
    error.code = result.code;
    throw error;
  }
  throw new Error('tinyArms gave no answer: the app may be restarting; try again');
}
