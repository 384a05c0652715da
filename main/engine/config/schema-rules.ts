import fs from 'node:fs';
import { expandHome } from '../util/fs';
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
  readonly format?: 'non-empty' | 'iso-date' | 'existing-file' | 'existing-folder';
  /** A number that is a share (0–1): people see it as a percentage. */
  readonly share?: boolean;
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
/** A path that must name an existing file (or folder) when a write sets it; loading an existing file does not check. */
export const existingFile = (description: string): Rule<string> => ({ kind: 'string', description, format: 'existing-file' });
export const existingFolder = (description: string): Rule<string> => ({ kind: 'string', description, format: 'existing-folder' });
export const share = (description: string): Rule<number> => ({ kind: 'number', description, min: 0, max: 1, share: true });
export const isoDate = (description: string): Rule<string> => ({ kind: 'string', description, format: 'iso-date' });
export const oneOf = <const V extends readonly string[]>(values: V, description: string): Rule<V[number]> => ({
  kind: 'enum',
  description,
  values,
});
export const list = <T>(items: Rule<T>, description: string): Rule<T[]> => ({ kind: 'array', description, items });
export const nullable = <T>(rule: Rule<T>): Rule<T | null> => ({ ...rule, nullable: true });
export const optional = <T>(rule: Rule<T>): Rule<T> & { readonly optional: true } => ({ ...rule, optional: true });
// biome-ignore lint/suspicious/noExplicitAny: a field's rule may be of any value type; unknown would not infer
export const obj = <S extends Record<string, Rule<any>>>(fields: S, description?: string): Rule<InferFields<S>> => ({
  kind: 'object',
  description,
  fields,
});
export const record = <T>(entries: Rule<T>, keys: { pattern: RegExp; hint: string }, description: string): Rule<Record<string, T>> => ({
  kind: 'map',
  description,
  entries,
  keyPattern: keys.pattern,
  keyHint: keys.hint,
});

export type Locate = (path: ConfigPath, at: 'key' | 'value') => number | null;

export interface CheckContext {
  file: string;
  locate: Locate;
  /** A user file may leave keys out (defaults fill them); a merged configuration must be complete. */
  partial: boolean;
  issues: ConfigIssue[];
  /** Check that paths name existing files and folders (a write; a load leaves a missing file to whoever uses it). */
  checkFiles?: boolean;
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

/** The rule for a key path (map entries and list items included); null where the schema has none. */
export function ruleAt(rule: Rule, path: ConfigPath): Rule | null {
  let node: Rule | undefined = rule;
  for (const part of path) {
    if (!node) return null;
    if (node.kind === 'object') node = node.fields![String(part)];
    else if (node.kind === 'map') node = node.entries;
    else if (node.kind === 'array') node = node.items;
    else return null;
  }
  return node ?? null;
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
  if (!leafMatches(rule, value)) {
    const message = `must be ${expectation(rule)} (got ${show(value)})`;
    ctx.issues.push({ file: ctx.file, line: ctx.locate(path, 'value'), path: pathToString(path), message, plain: plainExpectation(rule) });
    return;
  }
  const missing = ctx.checkFiles && typeof value === 'string' ? pathProblem(rule, value) : null;
  if (missing) {
    const plain = `${missing[0].toUpperCase()}${missing.slice(1)}.`;
    ctx.issues.push({ file: ctx.file, line: ctx.locate(path, 'value'), path: pathToString(path), message: missing, plain });
  }
}

/** Why a path rule's value names no usable file or folder; null when it does (or the rule is no path rule). */
function pathProblem(rule: Rule, value: string): string | null {
  if (rule.format !== 'existing-file' && rule.format !== 'existing-folder') return null;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(expandHome(value));
  } catch {
    return `there is nothing at ${value}`;
  }
  if (rule.format === 'existing-file' && !stat.isFile()) return `${value} is a folder, not a file`;
  if (rule.format === 'existing-folder' && !stat.isDirectory()) return `${value} is a file, not a folder`;
  return null;
}

const plainNumber = (n: number, asShare: boolean): string => (asShare ? `${Math.round(n * 10000) / 100}%` : String(n));

/** What a value must be, as a person reads it at a field: "Enter a value from 0% to 100%." */
export function plainExpectation(rule: Rule): string {
  if (rule.kind === 'number' || rule.kind === 'integer') {
    const asShare = rule.share === true;
    const noun = rule.kind === 'integer' ? 'a whole number' : asShare ? 'a value' : 'a number';
    if (rule.min !== undefined && rule.max !== undefined) {
      return `Enter ${noun} from ${plainNumber(rule.min, asShare)} to ${plainNumber(rule.max, asShare)}.`;
    }
    if (rule.min !== undefined) return `Enter ${noun} of ${plainNumber(rule.min, asShare)} or more.`;
    if (rule.max !== undefined) return `Enter ${noun} of ${plainNumber(rule.max, asShare)} or less.`;
    return `Enter ${noun}.`;
  }
  if (rule.kind === 'boolean') return 'Choose on or off.';
  if (rule.format === 'existing-file') return 'Enter the path of a file.';
  if (rule.format === 'existing-folder') return 'Enter the path of a folder.';
  return `Enter ${expectation(rule)}.`;
}

/**
 * A relation between two keys of a merged configuration: [key] must be `relation` [other]. `words` say what each
 * key is, for people at a field (the one they are editing may be either).
 */
export interface Relation {
  key: ConfigPath;
  other: ConfigPath;
  relation: 'at most' | 'at least' | 'below';
  words: { key: string; other: string };
  /** Both keys are shares (0–1), shown as percentages. */
  share?: boolean;
}

const holds = (relation: Relation['relation'], a: number, b: number): boolean =>
  relation === 'at most' ? a <= b : relation === 'at least' ? a >= b : a < b;

const flipped: Record<Relation['relation'], string> = { 'at most': 'at least', 'at least': 'at most', below: 'above' };

/** Checks each relation; a broken one is reported on the key the file sets (so the line points at the person's change). */
export function checkRelations(
  value: unknown,
  relations: readonly Relation[],
  ctx: Pick<CheckContext, 'file' | 'locate' | 'issues'>,
): void {
  for (const r of relations) {
    const a = valueAt(value, r.key) as number;
    const b = valueAt(value, r.other) as number;
    if (typeof a !== 'number' || typeof b !== 'number' || holds(r.relation, a, b)) continue;
    const flip = ctx.locate(r.key, 'value') === null && ctx.locate(r.other, 'value') !== null;
    const [at, than, x, y] = flip ? [r.other, r.key, b, a] : [r.key, r.other, a, b];
    const stated = flip ? flipped[r.relation] : r.relation;
    const thanWords = flip ? r.words.key : r.words.other;
    ctx.issues.push({
      file: ctx.file,
      line: ctx.locate(at, 'value'),
      path: pathToString(at),
      message: `must be ${stated} ${pathToString(than)} (${y}) (got ${x})`,
      plain: `Must be ${stated} ${plainNumber(y, r.share === true)}, ${thanWords}.`,
    });
  }
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
      return rule.format === undefined || value.trim() !== '';
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
      if (rule.format === 'iso-date') return `an ISO 8601 date or date-time like "2024-11-03T10:00:00Z"${orNull}`;
      if (rule.format === 'existing-file') return `the path of a file${orNull}`;
      if (rule.format === 'existing-folder') return `the path of a folder${orNull}`;
      return `a non-empty string${orNull}`;
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
