/**
 * A small schema check for the CLI's --json output: every key camelCase, times ISO 8601, and per command a shape
 * naming the fields it must have and their types. Shapes: 'string' | 'number' | 'boolean' | 'iso' | 'any', a type
 * followed by '?' for nullable, a nested object shape, or [shape] for an array of them.
 */
export type Shape = string | { [key: string]: Shape } | [Shape];

const CAMEL = /^[a-z][a-zA-Z0-9]*$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
// Keys whose values are times (checked wherever they appear, not only where a shape names them).
const TIME_KEY = /(At|Since|^activeFrom|^activeTo|^windowStart|^windowEnd)$/;

/** Problems with a JSON value's names and times anywhere in it ("$.task.created_at is not camelCase"). */
export function conventionProblems(value: unknown, where = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => conventionProblems(item, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(CAMEL.test(key) ? [] : [`${where}.${key} is not camelCase`]),
    ...(TIME_KEY.test(key) && v !== null && !(typeof v === 'string' && ISO.test(v))
      ? [`${where}.${key} is not an ISO time (${JSON.stringify(v)})`]
      : []),
    ...conventionProblems(v, `${where}.${key}`),
  ]);
}

function typeProblems(value: unknown, shape: Shape, where: string): string[] {
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${where} should be an array`];
    return value.flatMap((item, i) => typeProblems(item, shape[0], `${where}[${i}]`));
  }
  if (typeof shape === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${where} should be an object`];
    const record = value as Record<string, unknown>;
    return Object.entries(shape).flatMap(([key, inner]) =>
      key in record ? typeProblems(record[key], inner, `${where}.${key}`) : [`${where}.${key} is missing`],
    );
  }
  const nullable = shape.endsWith('?');
  const type = nullable ? shape.slice(0, -1) : shape;
  if (value === null) return nullable || type === 'any' ? [] : [`${where} should not be null`];
  if (type === 'any') return [];
  if (type === 'iso') return typeof value === 'string' && ISO.test(value) ? [] : [`${where} should be an ISO time`];
  // eslint-disable-next-line valid-typeof
  return typeof value === type ? [] : [`${where} should be a ${type} (got ${JSON.stringify(value)})`];
}

/** Every problem: conventions anywhere, and the fields of the shape. */
export const shapeProblems = (value: unknown, shape: Shape): string[] => [...conventionProblems(value), ...typeProblems(value, shape, '$')];
