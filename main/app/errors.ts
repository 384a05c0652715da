import { isUserError } from '../engine';
import type { ApiResult } from '../../contract/api';

/** One line for people: a UserError's own message, anything else as an internal error without its stack. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const flat = message.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
  return isUserError(error) ? flat : `internal error: ${flat}`;
}

export function errorCode(error: unknown): string {
  return isUserError(error) ? error.code : 'internal';
}

export const okResult = <T>(value: T): ApiResult<T> => ({ ok: true, value });

export const errorResult = (error: unknown): ApiResult<never> => ({ ok: false, error: oneLine(error), code: errorCode(error) });
