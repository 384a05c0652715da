import { CommanderError } from 'commander';
import { UserError, isUserError } from '../../engine';
import { QuestionInterrupted } from './output';

/** Exit codes, as documented in the README. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Ctrl-C stopped the command after it saved what it could (exit 130). */
export class Interrupted extends Error {
  readonly code = 'interrupted';
}

/** What a failure looks like to people (one line after `tinyarms:`) and to scripts (`{"error": {code, message}}`). */
export interface CliFailure {
  code: string;
  message: string;
  exitCode: ExitCode;
}

const COMMANDER_CODES: Record<string, string> = {
  'commander.unknownCommand': 'unknown_command',
  'commander.unknownOption': 'unknown_option',
  'commander.missingArgument': 'missing_argument',
  'commander.optionMissingArgument': 'missing_argument',
  'commander.missingMandatoryOptionValue': 'missing_option',
  'commander.excessArguments': 'too_many_arguments',
  'commander.invalidArgument': 'bad_usage',
  'commander.conflictingOption': 'bad_usage',
  'commander.help': 'missing_command',
};

/** Commander's "error: unknown command 'x'\n(Did you mean y?)" as one tinyarms line. */
const commanderMessage = (message: string): string =>
  message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.+)\?\)/, ' (did you mean $1?)')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** A Node system error (listen, mkdir, open …) in words, or null when it is not one. */
function systemFailure(error: NodeJS.ErrnoException & { address?: string; port?: number }): CliFailure | null {
  if (typeof error?.code !== 'string' || !/^E[A-Z]+$/.test(error.code)) return null;
  const where = error.path ? ` ${error.path}` : '';
  switch (error.code) {
    case 'EADDRINUSE':
      return {
        code: 'port_in_use',
        message:
          `${error.address ?? 'the address'}:${error.port ?? '?'} is already in use (another tinyarms serve?); ` +
          'choose another --port, or leave it out for a free one',
        exitCode: 1,
      };
    case 'EADDRNOTAVAIL':
      return { code: 'bad_address', message: `cannot listen on ${error.address ?? 'that address'}: not an address here`, exitCode: 2 };
    case 'EACCES':
    case 'EPERM':
      return { code: 'permission_denied', message: `permission denied:${where || ` ${error.syscall ?? 'operation'}`}`, exitCode: 1 };
    case 'ENOSPC':
      return { code: 'disk_full', message: `no space left on the disk${where ? ` writing${where}` : ''}`, exitCode: 1 };
    case 'EROFS':
      return { code: 'read_only', message: `read-only file system:${where}`, exitCode: 1 };
    case 'ENOENT':
      return { code: 'missing_file', message: `no such file or folder:${where}`, exitCode: 2 };
    case 'ENOTDIR':
    case 'EEXIST':
      return { code: 'not_a_folder', message: `not a folder:${where}`, exitCode: 2 };
    default:
      return null;
  }
}

/** Every way a command can fail, mapped to one line, a code and an exit code. Null: not a failure (help, version). */
export function describeFailure(error: unknown): CliFailure | null {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return null;
    return { code: COMMANDER_CODES[error.code] ?? 'bad_usage', message: commanderMessage(error.message), exitCode: EXIT.usage };
  }
  if (error instanceof Interrupted || error instanceof QuestionInterrupted)
    return { code: 'interrupted', message: error.message, exitCode: EXIT.interrupted };
  if (isUserError(error)) return { code: error.code, message: error.message, exitCode: error.exitCode };
  const system = systemFailure(error as NodeJS.ErrnoException);
  if (system) return system;
  const message = (error as Error)?.message ?? String(error);
  return { code: 'internal', message: `internal error: ${message.split('\n')[0]} (TINYARMS_DEBUG=1 shows where)`, exitCode: EXIT.failed };
}

/** A user error that is bad input (exit 2) with a code. */
export const badInput = (message: string, code: string): UserError => new UserError(message, { exitCode: 2, code });
