import { LineCounter, parseDocument, isMap, isScalar, stringify } from 'yaml';
import { UserError } from '../util/errors';
import { scorerNames } from './scorers';

export type OutputKind = 'filename' | 'list' | 'text' | 'lint';
export const outputKinds: readonly OutputKind[] = ['filename', 'list', 'text', 'lint'];

export interface SkillDefinition {
  name: string;
  description: string;
  output: OutputKind;
  scorer: string;
  evolvable: boolean;
  /** null = the app's default model. */
  model: string | null;
  /** The body: a template with {{input}}. */
  prompt: string;
  /** Absolute path it was read from. */
  file: string;
  /** Front matter `version` (default 1). */
  version: number;
  /** Front matter keys this module does not know (e.g. source, reasoning, created_at of evolved versions). */
  extra?: Record<string, unknown>;
}

export const INPUT_PLACEHOLDER = '{{input}}';

const KNOWN_KEYS = ['name', 'description', 'version', 'output', 'scorer', 'evolvable', 'model'] as const;
// `-v<N>` is reserved for version files (file-naming-v2.md), so a skill name may not end with it.
const SKILL_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Payloads check the same kebab-case with skillNameSchema (util/schema.ts); a skill file also may not end in -v<N>.
const VERSION_SUFFIX = /-v\d+$/;

export const isValidSkillName = (name: string): boolean => SKILL_NAME.test(name) && !VERSION_SUFFIX.test(name);

const invalid = (file: string, line: number | null, message: string): UserError =>
  new UserError(`${file}${line === null ? '' : `:${line}`}: ${message}`, { exitCode: 2, code: 'invalid_skill_file' });

export function parseSkillFile(text: string, file: string): SkillDefinition {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines[0].trimEnd() !== '---') {
    throw invalid(file, 1, "missing front matter: the file must start with a '---' line");
  }
  // Only an unindented '---' closes it, so a '---' inside an indented YAML block scalar does not.
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (close === -1) throw invalid(file, null, "front matter is not closed: add a '---' line after it");

  const yamlText = lines.slice(1, close).join('\n');
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false });
  // File line = YAML line + 1 (the opening '---').
  const lineAt = (offset: number | undefined): number | null => (offset === undefined ? null : counter.linePos(offset).line + 1);
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    throw invalid(file, lineAt(error.pos[0]), `bad YAML in front matter: ${error.message}`);
  }
  if (!isMap(doc.contents)) throw invalid(file, 2, 'front matter must be a YAML mapping of key: value lines');

  const keyLines = new Map<string, number | null>();
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key)) keyLines.set(String(pair.key.value), lineAt(pair.key.range?.[0]));
  }
  const data = doc.toJS() as Record<string, unknown>;
  const fail = (key: string, message: string): UserError => invalid(file, keyLines.get(key) ?? 2, message);
  const requireString = (key: string): string => {
    const value = data[key];
    if (value === undefined || value === null) throw invalid(file, 2, `missing field '${key}' in front matter`);
    if (typeof value !== 'string' || value.trim() === '') throw fail(key, `'${key}' must be a non-empty string`);
    return value.trim();
  };

  const name = requireString('name');
  if (!isValidSkillName(name)) throw fail('name', `'name' must be kebab-case and not end in -v<number> (got '${name}')`);
  const description = requireString('description');
  const output = requireString('output') as OutputKind;
  if (!outputKinds.includes(output)) throw fail('output', `'output' must be one of ${outputKinds.join(', ')} (got '${output}')`);
  const scorer = requireString('scorer');
  if (!scorerNames.includes(scorer)) throw fail('scorer', `unknown scorer '${scorer}' (known: ${scorerNames.join(', ')})`);
  if (data.evolvable === undefined) throw invalid(file, 2, "missing field 'evolvable' in front matter");
  if (typeof data.evolvable !== 'boolean') throw fail('evolvable', "'evolvable' must be true or false");
  const model = data.model ?? null;
  if (model !== null && (typeof model !== 'string' || model.trim() === '')) {
    throw fail('model', "'model' must be a model name or null (the default model)");
  }
  const version = data.version ?? 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw fail('version', "'version' must be a whole number ≥ 1");
  }

  const prompt = normaliseBody(lines.slice(close + 1).join('\n'));
  if (!prompt.includes(INPUT_PLACEHOLDER)) {
    const hint = /\{\{\s*input\s*\}\}/i.test(prompt) ? ` (write it exactly as ${INPUT_PLACEHOLDER}, no spaces)` : '';
    const firstBodyLine = lines.findIndex((line, i) => i > close && line.trim() !== '');
    const line = (firstBodyLine === -1 ? close + 1 : firstBodyLine) + 1;
    throw invalid(file, line, `the prompt has no ${INPUT_PLACEHOLDER} placeholder${hint}`);
  }

  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) extra[key] = value;
  }
  return {
    name,
    description,
    output,
    scorer,
    evolvable: data.evolvable,
    model: typeof model === 'string' ? model.trim() : null,
    prompt,
    file,
    version,
    extra,
  };
}

export function serializeSkillFile(def: Omit<SkillDefinition, 'file'> & { file?: string; extra?: Record<string, unknown> }): string {
  const front: Record<string, unknown> = {
    name: def.name,
    description: def.description,
    version: def.version,
    output: def.output,
    scorer: def.scorer,
    evolvable: def.evolvable,
    model: def.model,
  };
  for (const [key, value] of Object.entries(def.extra ?? {})) {
    if (!(key in front) && value !== undefined) front[key] = value;
  }
  return `---\n${stringify(front, { lineWidth: 0 })}---\n\n${normaliseBody(def.prompt)}\n`;
}

const normaliseBody = (body: string): string =>
  body
    .replace(/\r\n?/g, '\n')
    .replace(/^\s*\n/, '')
    .trimEnd();

/** Replaces every {{input}}; the input is inserted literally (no `$&`-style replacement patterns). */
export const renderPrompt = (template: string, input: string): string => template.split(INPUT_PLACEHOLDER).join(input);
