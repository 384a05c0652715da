/** `--name value` from the command line, or undefined. */
export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Whether `--name` is on the command line. */
export const has = (name: string): boolean => process.argv.includes(`--${name}`);
