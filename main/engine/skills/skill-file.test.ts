import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { BUNDLED_SKILLS_DIR } from './skill-registry';
import { INPUT_PLACEHOLDER, parseSkillFile, renderPrompt, serializeSkillFile } from './skill-file';

const FILE = '/data/skills/demo.md';
const valid = `---
name: demo
description: A demo skill.
output: text
scorer: text
evolvable: true
model: null
---

Summarise this.

{{input}}
`;

const errorOf = (text: string): UserError => {
  try {
    parseSkillFile(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected parseSkillFile to throw');
};

describe('parseSkillFile', () => {
  it('reads front matter and body, with defaults for version and model', () => {
    const def = parseSkillFile(valid.replace('model: null\n', ''), FILE);
    expect(def).toEqual({
      name: 'demo',
      description: 'A demo skill.',
      output: 'text',
      scorer: 'text',
      evolvable: true,
      model: null,
      prompt: 'Summarise this.\n\n{{input}}',
      file: FILE,
      version: 1,
      extra: {},
    });
  });

  it('accepts CRLF line endings and a BOM', () => {
    const def = parseSkillFile(`\uFEFF${valid.replace(/\n/g, '\r\n')}`, FILE);
    expect(def.prompt).toBe('Summarise this.\n\n{{input}}');
    expect(def.name).toBe('demo');
  });

  it('keeps unknown keys as extra', () => {
    const def = parseSkillFile(valid.replace('model: null', 'model: smollm2\nversion: 3\nsource: evolver'), FILE);
    expect(def).toMatchObject({ model: 'smollm2', version: 3, extra: { source: 'evolver' } });
  });

  it.each([
    ['missing front matter', 'Summarise {{input}}', `${FILE}:1: missing front matter`],
    ['unclosed front matter', '---\nname: demo\n\n{{input}}', `${FILE}: front matter is not closed`],
    ['bad YAML', valid.replace('description: A demo skill.', 'description: A demo: skill'), `${FILE}:3: bad YAML`],
    ['a list instead of a mapping', '---\n- a\n---\n{{input}}', `${FILE}:2: front matter must be a YAML mapping`],
    ['missing field', valid.replace('description: A demo skill.\n', ''), `${FILE}:2: missing field 'description'`],
    ['bad output kind', valid.replace('output: text', 'output: prose'), `${FILE}:4: 'output' must be one of filename, list, text, lint`],
    [
      'unknown scorer',
      valid.replace('scorer: text', 'scorer: bleu'),
      `${FILE}:5: unknown scorer 'bleu' (known: filename, list, text, lint)`,
    ],
    ['evolvable as a word', valid.replace('evolvable: true', 'evolvable: yes'), `${FILE}:6: 'evolvable' must be true or false`],
    ['bad name', valid.replace('name: demo', 'name: Demo Skill'), `${FILE}:2: 'name' must be kebab-case`],
    ['name looking like a version', valid.replace('name: demo', 'name: demo-v2'), `${FILE}:2: 'name' must be kebab-case`],
    ['bad version', valid.replace('model: null', 'model: null\nversion: 0'), `${FILE}:8: 'version' must be a whole number`],
    ['empty model', valid.replace('model: null', 'model: ""'), `${FILE}:7: 'model' must be a model name or null`],
    ['no placeholder', valid.replace('{{input}}', 'the text'), `${FILE}:10: the prompt has no {{input}} placeholder`],
  ])('rejects %s with file and line', (_label, text, message) => {
    const error = errorOf(text);
    expect(error.message.slice(0, message.length)).toBe(message);
    expect(error.code).toBe('invalid_skill_file');
  });

  it('hints at the exact spelling when the placeholder has spaces', () => {
    expect(errorOf(valid.replace('{{input}}', '{{ input }}')).message).toContain('write it exactly as {{input}}');
  });
});

describe('serializeSkillFile', () => {
  it('round-trips, including multi-line meta that contains a --- line', () => {
    const def = parseSkillFile(valid, FILE);
    const extra = { source: 'evolver', reasoning: 'Shorter.\n---\nKeep kebab-case.', created_at: '2026-01-05T09:00:00.000Z' };
    const text = serializeSkillFile({ ...def, version: 2, extra });
    expect(parseSkillFile(text, FILE)).toEqual({ ...def, version: 2, extra });
    expect(serializeSkillFile(parseSkillFile(text, FILE))).toBe(text);
  });

  it('does not let extra keys override the known fields', () => {
    const def = parseSkillFile(valid, FILE);
    const text = serializeSkillFile({ ...def, extra: { name: 'other', note: 'x' } });
    expect(parseSkillFile(text, FILE)).toMatchObject({ name: 'demo', extra: { note: 'x' } });
  });
});

describe('renderPrompt', () => {
  it('replaces every placeholder and inserts the input literally', () => {
    const input = "cost $& and $1 and $$ and $' — {{input}}";
    expect(renderPrompt(`A: ${INPUT_PLACEHOLDER}\nB: ${INPUT_PLACEHOLDER}`, input)).toBe(`A: ${input}\nB: ${input}`);
  });
});

describe('bundled skill files', () => {
  const files = fs.readdirSync(BUNDLED_SKILLS_DIR).filter((file) => file.endsWith('.md'));

  it('ship the four skills', () => {
    expect(files.sort()).toEqual(['audio-actions.md', 'code-linting-fast.md', 'file-naming.md', 'markdown-analysis.md']);
  });

  it.each(files)('%s parses and ends with the input slot', (file) => {
    const full = path.join(BUNDLED_SKILLS_DIR, file);
    const def = parseSkillFile(fs.readFileSync(full, 'utf8'), full);
    expect(def.name).toBe(file.replace(/\.md$/, ''));
    expect(def.prompt.endsWith(INPUT_PLACEHOLDER)).toBe(true);
    expect(def.prompt.split(INPUT_PLACEHOLDER)).toHaveLength(2);
    expect(def.evolvable).toBe(def.name !== 'code-linting-fast');
  });

  it('file-naming keeps the design v1 wording', () => {
    const full = path.join(BUNDLED_SKILLS_DIR, 'file-naming.md');
    const def = parseSkillFile(fs.readFileSync(full, 'utf8'), full);
    expect(def.prompt).toContain(
      'You are renaming a file based on its visual content.\n\nAnalyze the image and generate a descriptive filename using kebab-case.\n\nBe concise but specific.',
    );
    expect(def).toMatchObject({ output: 'filename', scorer: 'filename' });
  });
});
