import { pathToString, type ConfigIssue, type ConfigPath } from './config-issue';

// Rule builders for the declarative schema. Each rule carries its TypeScript type as a phantom, so the
// config's type is derived from the same table that validates it.

declare const phantom: unique symbol;

export type RuleKind = 'number' | 'integer' | 'boolean' | 'string' | 'enum' | 'array' | 'object' | 'map';

export interface Rule<T = unknown> {
  readonly [phantom]?: T;
  readonly kind: RuleKind;
  readonly description?: string;
  readonly nullable?: boolean;
  /** Object fields only: may be absent even in a complete configuration. */
  readonly optional?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly format?: 'non-empty' | 'iso-date';
  readonly values?: readonly string[];
  readonly items?: Rule;
  readonly fields?: Readonly<Record<string, Rule>>;
  readonly entries?: Rule;
  readonly keyPattern?: RegExp;
  readonly keyHint?: string;
}

export type Infer<R> = R extends Rule<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type InferFields<S> = Simplify<
  { [K in keyof S as S[K] extends { optional: true } ? never : K]: Infer<S[K]> } & {
    [K in keyof S as S[K] extends { optional: true } ? K : never]?: Infer<S[K]>;
  }
>;

type Range = { min?: number; max?: number };
export const num = (description: string, range: Range = {}): Rule<number> => ({ kind: 'number', description, ...range });
export const int = (description: string, range: Range = {}): Rule<number> => ({ kind: 'integer', description, ...range });
export const bool = (description: string): Rule<boolean> => ({ kind: 'boolean', description });
export const str = (description: string): Rule<string> => ({ kind: 'string', description, format: 'non-empty' });
export const isoDate = (description: string): Rule<string> => ({ kind: 'string', description, format: 'iso-date' });
export const oneOf = <const V extends readonly string[]>(values: V, description: string): Rule<V[number]> => ({
  kind: 'enum',
  description,
  values,
});
export const list = <T>(items: Rule<T>, description: string): Rule<T[]> => ({ kind: 'array', description, items });
export const nullable = <T>(rule: Rule<T>): Rule<T | null> => ({ ...rule, nullable: true });
export const optional = <T>(rule: Rule<T>): Rule<T> & { readonly optional: true } => ({ ...rule, optional: true });
export const obj = <S extends Record<string, Rule<any>>>(fields: S, description?: string): Rule<InferFields<S>> => ({
  kind: 'object',
  description,
  fields,
});
export const record = <T>(
  entries: Rule<T>,
  keys: { pattern: RegExp; hint: string },
  description: string,
): Rule<Record<string, T>> => ({ kind: 'map', description, entries, keyPattern: keys.pattern, keyHint: keys.hint });

export type Locate = (path: ConfigPath, at: 'key' | 'value') => number | null;

export interface CheckContext {
  file: string;
  locate: Locate;
  /** A user file may leave keys out (defaults fill them); a merged configuration must be complete. */
  partial: boolean;
  issues: ConfigIssue[];
}

/** The value at a key path through plain data; undefined where the path leaves objects. */
export function valueAt(value: unknown, path: ConfigPath): unknown {
  let node = value;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function checkRule(rule: Rule, value: unknown, path: ConfigPath, ctx: CheckContext): void {
  const report = (at: ConfigPath, where: 'key' | 'value', message: string, lineOf = at): void => {
    ctx.issues.push({ file: ctx.file, line: ctx.locate(lineOf, where), path: pathToString(at), message });
  };
  const isCollection = rule.kind === 'object' || rule.kind === 'map';
  // An empty section (`triggers:` with every line commented out) means "no overrides here".
  if (value === null && (rule.nullable || (isCollection && ctx.partial))) return;
  if (isCollection) {
    if (!isPlainObject(value)) return report(path, 'value', `must be ${expectation(rule)} (got ${show(value)})`);
    for (const [key, child] of Object.entries(value)) {
      const at = [...path, key];
      if (rule.kind === 'map') {
        if (rule.keyPattern && !rule.keyPattern.test(key)) report(at, 'key', rule.keyHint ?? 'is not a valid name');
        else checkRule(rule.entries!, child, at, ctx);
      } else if (rule.fields![key]) checkRule(rule.fields![key], child, at, ctx);
      else report(at, 'key', unknownKeyMessage(key, Object.keys(rule.fields!)));
    }
    if (rule.kind === 'object' && !ctx.partial) {
      for (const [key, field] of Object.entries(rule.fields!)) {
        if (!field.optional && value[key] === undefined) report([...path, key], 'value', 'is required', path);
      }
    }
    return;
  }
  if (rule.kind === 'array') {
    if (!Array.isArray(value)) return report(path, 'value', `must be ${expectation(rule)} (got ${show(value)})`);
    // Lists replace the default as a whole, so each item must be complete.
    value.forEach((item, i) => checkRule(rule.items!, item, [...path, i], { ...ctx, partial: false }));
    return;
  }
  if (!leafMatches(rule, value)) report(path, 'value', `must be ${expectation(rule)} (got ${show(value)})`);
}

function leafMatches(rule: Rule, value: unknown): boolean {
  switch (rule.kind) {
    case 'number':
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (rule.kind === 'number' || Number.isInteger(value)) &&
        (rule.min === undefined || value >= rule.min) &&
        (rule.max === undefined || value <= rule.max)
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && rule.values!.includes(value);
    default:
      if (typeof value !== 'string') return false;
      if (rule.format === 'iso-date') return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
      return rule.format !== 'non-empty' || value.trim() !== '';
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function expectation(rule: Rule): string {
  const orNull = rule.nullable ? ' or null' : '';
  switch (rule.kind) {
    case 'number':
    case 'integer': {
      const noun = rule.kind === 'number' ? 'a number' : 'a whole number';
      if (rule.min !== undefined && rule.max !== undefined) return `${noun} between ${rule.min} and ${rule.max}${orNull}`;
      if (rule.min !== undefined) return `${noun} >= ${rule.min}${orNull}`;
      if (rule.max !== undefined) return `${noun} <= ${rule.max}${orNull}`;
      return noun + orNull;
    }
    case 'boolean':
      return `true or false${orNull}`;
    case 'enum':
      return `one of ${rule.values!.join(', ')}${orNull}`;
    case 'string':
      return rule.format === 'iso-date'
        ? `an ISO 8601 date or date-time like "2024-11-03T10:00:00Z"${orNull}`
        : `a non-empty string${orNull}`;
    case 'array':
      return `a list${orNull}`;
    default:
      return 'a mapping of keys to values';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  return String(value);
}

function unknownKeyMessage(key: string, known: string[]): string {
  const close = known.find((candidate) => editDistance(key, candidate) <= Math.max(1, Math.floor(candidate.length / 4)));
  if (close) return `is not a known setting (did you mean ${close}?)`;
  return `is not a known setting (expected one of: ${known.join(', ')})`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
