import { usageError } from '../../../engine';

export function parsePositiveInt(value: string, name: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw usageError(`${name} must be a positive whole number (got '${value}')`);
  return Number(value);
}

/** `A=text` pairs from a repeatable option. */
export function parsePairs(values: string[] | undefined, name: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq < 1) throw usageError(`${name} takes LETTER=TEXT (got '${value}')`);
    pairs[value.slice(0, eq).trim().toUpperCase()] = value.slice(eq + 1);
  }
  return pairs;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
