/** Where CLI output goes; tests capture it instead of the process streams. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  json: boolean;
  /** The raw error stream, for progress bars redrawn in place (absent in tests: plain lines go to err). */
  errStream?: { isTTY?: boolean; write(text: string): unknown };
  /** Asks a yes/no question when a person is at the terminal; absent when nobody can answer. */
  confirm?: (question: string) => Promise<boolean>;
}

async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export const processIo = (json = false): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  json,
  errStream: process.stderr,
  ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: askYesNo } : {}),
});

/** Prints JSON for scripts (--json) or the human rendering. */
export function emit<T>(io: CliIo, value: T, human: (value: T) => string | string[]): void {
  if (io.json) {
    io.out(JSON.stringify(value, null, 2));
    return;
  }
  const text = human(value);
  for (const line of Array.isArray(text) ? text : [text]) io.out(line);
}

export const pct = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(digits)}%`;

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
