import * as v from 'valibot';

// Payloads and data files from outside (a page's API call, the task API's JSON, models/catalog.json) are checked
// with valibot schemas. Each schema's message is what the value must be ("a skill name like \"file-naming\""), so
// a failure reads as one line: "<where>.<path> must be <expected>". config.yaml keeps its own table-driven
// validator, which reports file:line.

export { v };

/** A skill's name in a payload: kebab-case, like "file-naming" (at most 100 characters). */
export const skillNameSchema = v.pipe(
  v.string('a skill name like "file-naming"'),
  v.maxLength(100, 'a skill name like "file-naming"'),
  v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a skill name like "file-naming"'),
);

/** "models[1].sha256", "taskId": the path of a valibot issue, as the person would write it. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? [])
    .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`))
    .join('')
    .replace(/^\./, '');
}

/** The value a person sent, short: "null", "a list", "\"IMG_1.png\"", "an object", "12". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 30 ? `${value.slice(0, 27)}...` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

type Entries = Record<string, v.GenericSchema<unknown, unknown>>;

/**
 * Every issue of a failed parse as "path must be expected" lines; a key the schema does not know is "unknown field
 * 'x'". Given the object's schema, a missing key reads like a wrong one: what its own schema says it must be.
 */
export function problems(issues: readonly v.BaseIssue<unknown>[], schema?: { entries: Entries }): string[] {
  return issues.map((issue) => {
    const where = issuePath(issue);
    const key = where.split('.').pop() ?? '';
    if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never') return `unknown field '${key}'`;
    const missing = issue.kind === 'schema' && /object$/.test(issue.type) && issue.received === 'undefined' && schema?.entries[key];
    if (missing) {
      const own = v.safeParse(schema.entries[key], undefined);
      if (!own.success) return `${where} must be ${own.issues[0].message}`;
    }
    return `${where || 'the value'} must be ${issue.message}`;
  });
}
