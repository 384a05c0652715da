import { percent } from '../../engine';
/** A stream the progress display redraws in place (process.stderr, or a fake in tests). */
export interface TermStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Where CLI output goes; tests capture it instead of the process streams. */
export interface CliIo {
  /** One line of the command's result, on stdout. */
  out(line: string): void;
  /** One line of diagnostics (warnings, errors, progress in plain mode), on stderr. */
  err(line: string): void;
  json: boolean;
  /** Colour for stdout / stderr: on a terminal, unless NO_COLOR is set (FORCE_COLOR=1 turns it on). */
  color: { out: boolean; err: boolean };
  /** The raw error stream, for progress redrawn in place (absent in tests: plain lines go to err). */
  errStream?: TermStream;
  /** Asks a yes/no question when a person is at the terminal; absent when nobody can answer. */
  confirm?: (question: string) => Promise<boolean>;
}

/** Ctrl-C at a question: nothing was started (the caller exits 130). */
export class QuestionInterrupted extends Error {}

async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // At a terminal readline reads Ctrl-C as a key, not a signal: without this the question would wait forever.
  const interrupted = new Promise<never>((_, reject) =>
    rl.once('SIGINT', () => {
      process.stderr.write('\n');
      reject(new QuestionInterrupted('interrupted at the question; nothing was started'));
    }),
  );
  try {
    return /^y(es)?$/i.test((await Promise.race([rl.question(`${question} [y/N] `), interrupted])).trim());
  } finally {
    rl.close();
  }
}

/** NO_COLOR (any non-empty value) wins; FORCE_COLOR=1 forces colour on for tests and pagers. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** A reader that went away (`tinyarms … | head -1`) is not an error: stop quietly with exit code 0. */
function write(stream: NodeJS.WriteStream, text: string): void {
  try {
    stream.write(text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
    throw error;
  }
}

export function guardPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}

export const processIo = (json = false): CliIo => ({
  out: (line) => write(process.stdout, `${line}\n`),
  err: (line) => write(process.stderr, `${line}\n`),
  json,
  color: { out: wantsColor(process.stdout), err: wantsColor(process.stderr) },
  errStream: process.stderr,
  ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: askYesNo } : {}),
});

const SGR = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;
export type Tone = keyof typeof SGR;

/** Wraps text in an ANSI colour when `on`. */
export const paint = (on: boolean, tone: Tone, text: string): string => (on ? `\x1b[${SGR[tone]}m${text}\x1b[0m` : text);

/** Stdout colouring for human output. */
export const tone = (io: CliIo, name: Tone, text: string): string => paint(io.color.out, name, text);

/** `tinyarms: …` on stderr: the one line every failure and warning starts with. */
export function complain(io: CliIo, message: string, kind: 'error' | 'warning' = 'error'): void {
  const head = paint(io.color.err, kind === 'error' ? 'red' : 'yellow', 'tinyarms:');
  io.err(`${head} ${kind === 'warning' ? 'warning: ' : ''}${message}`);
}

/** Prints JSON for scripts (--json) or the human rendering. */
export function emit<T>(io: CliIo, value: T, human: (value: T) => string | string[]): void {
  if (io.json) {
    io.out(JSON.stringify(value, null, 2));
    return;
  }
  const text = human(value);
  for (const line of Array.isArray(text) ? text : [text]) io.out(line);
}

export const pct = (x: number | null | undefined, digits = 0): string => percent(x, 'n/a', digits);

/** A text confidence bar like the design's mock: ████████░░░░ */
export const bar = (fraction: number, width = 18): string => {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
};

export const day = (isoTime: string | null | undefined): string => (isoTime ? isoTime.slice(0, 10) : '—');
export const minute = (isoTime: string | null | undefined): string => (isoTime ? isoTime.slice(0, 16).replace('T', ' ') : '—');

/** Resolves on Ctrl-C or SIGTERM. */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}
