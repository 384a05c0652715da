/** Where CLI output goes; tests capture it instead of the process streams. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  json: boolean;
}

export const processIo = (json = false): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  json,
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
