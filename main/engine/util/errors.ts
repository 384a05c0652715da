/**
 * An error the user can act on: the CLI prints its message as one line (no stack) and exits with `exitCode`.
 * 1 = the operation failed, 2 = bad usage or bad input.
 */
export class UserError extends Error {
  readonly exitCode: 1 | 2;
  readonly code: string;

  constructor(message: string, options: { exitCode?: 1 | 2; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? 1;
    this.code = options.code ?? 'failed';
  }
}

export const usageError = (message: string, code = 'bad_usage'): UserError => new UserError(message, { exitCode: 2, code });

export const isUserError = (error: unknown): error is UserError => error instanceof UserError;
