import { isPlainObject, type Rule } from './schema-rules';

/**
 * Deep-merges `override` over `base` along the schema: mappings merge key by key, lists and values replace.
 * An empty (null) section overrides nothing. Returns fresh objects; neither input is modified.
 */
export function mergeConfig(rule: Rule, base: unknown, override: unknown): unknown {
  if (override === undefined) return clone(base);
  if (rule.kind !== 'object' && rule.kind !== 'map') return clone(override);
  const from = isPlainObject(base) ? base : {};
  if (!isPlainObject(override)) return clone(from);
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(override)])) {
    const child = rule.kind === 'map' ? rule.entries : rule.fields?.[key];
    const merged = child ? mergeConfig(child, from[key], override[key]) : clone(override[key] ?? from[key]);
    if (merged !== undefined) out[key] = merged;
  }
  return out;
}

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
