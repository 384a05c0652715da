import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue, type ConfigPath } from './config-issue';
import { DEFAULTS_FILE } from './config-store';
import { CONFIG_SCHEMA, validateConfig, type TinyArmsConfig } from './schema';
import type { Rule } from './schema-rules';
import { readYaml } from './yaml-source';

const FILE = '/home/u/.local/share/tinyarms/config.yaml';

function check(text: string, partial = true): string[] {
  const parsed = readYaml(text, FILE);
  if (parsed.issues.length > 0) return parsed.issues.map(formatIssue);
  return validateConfig(parsed.value, { file: FILE, locate: parsed.locate, partial }).map(formatIssue);
}

function leafPaths(rule: Rule, at: ConfigPath = []): string[] {
  if (rule.kind === 'object') return Object.entries(rule.fields!).flatMap(([k, r]) => leafPaths(r, [...at, k]));
  return [at.join('.')];
}

describe('schema', () => {
  it('matches the shipped defaults: every key has a default and the defaults validate as complete', () => {
    const parsed = readYaml(fs.readFileSync(DEFAULTS_FILE, 'utf8'), DEFAULTS_FILE);
    expect(parsed.issues).toEqual([]);
    expect(validateConfig(parsed.value, { file: DEFAULTS_FILE, partial: false })).toEqual([]);
    const defaultsLeaves = (function walk(value: unknown, at: string[]): string[] {
      if (value && typeof value === 'object' && !Array.isArray(value) && at[0] !== 'skills') {
        return Object.entries(value).flatMap(([k, v]) => walk(v, [...at, k]));
      }
      return [at.join('.')];
    })(parsed.value, []);
    expect(defaultsLeaves.sort()).toEqual(leafPaths(CONFIG_SCHEMA as Rule).sort());
  });

  it('names file, key path and line for a value out of range', () => {
    const text = 'prompt_evolution:\n  triggers:\n    sample_size: 30\n\n\n    # note\n    accuracy_threshold: 1.5\n';
    expect(check(text)).toEqual([`${FILE}:7: prompt_evolution.triggers.accuracy_threshold must be a number between 0 and 1 (got 1.5)`]);
  });

  it('reports wrong types, quoting strings', () => {
    expect(check('app:\n  notifications: "yes"\n')).toEqual([`${FILE}:2: app.notifications must be true or false (got "yes")`]);
    expect(check('prompt_evolution:\n  triggers:\n    sample_size: 2.5\n')).toEqual([
      `${FILE}:3: prompt_evolution.triggers.sample_size must be a whole number >= 1 (got 2.5)`,
    ]);
    expect(check('watch:\n  folders: ~/Desktop\n')).toEqual([`${FILE}:2: watch.folders must be a list (got "~/Desktop")`]);
    expect(check('app: true\n')).toEqual([`${FILE}:1: app must be a mapping of keys to values (got true)`]);
  });

  it('reports unknown keys at the key line, suggesting a near miss', () => {
    expect(check('prompt_evolution:\n  triggers:\n    acuracy_threshold: 0.7\n')).toEqual([
      `${FILE}:3: prompt_evolution.triggers.acuracy_threshold is not a known setting (did you mean accuracy_threshold?)`,
    ]);
    expect(check('theme: dark\n')[0]).toBe(
      `${FILE}:1: theme is not a known setting (expected one of: prompt_evolution, skills, app, watch, team)`,
    );
  });

  it('checks skill entries strictly, with free kebab-case names', () => {
    const text = [
      'skills:',
      '  file-naming:',
      '    prompt_template: skills/file-naming-v2.md',
      '    prompt_version: 2',
      '    evolved_at: "2024-11-03T10:00:00Z"',
      '    current_accuracy: null',
      '    promt: oops',
      '    evolution_history:',
      '      - version: 1',
      '        active_period: "2024-09-15 to 2024-11-10"',
      '        accuracy: 0.78',
      '      - active_since: "2024-11-10"',
      '  File_Naming: {}',
    ].join('\n');
    expect(check(text)).toEqual([
      `${FILE}:7: skills.file-naming.promt is not a known setting (expected one of: enabled, prompt_template, ` +
        'prompt_version, evolved_at, previous_accuracy, current_accuracy, evolution_history)',
      `${FILE}:12: skills.file-naming.evolution_history[1].version is required`,
      `${FILE}:13: skills.File_Naming skill names must be kebab-case, e.g. file-naming`,
    ]);
    expect(check('skills:\n  a:\n    evolved_at: yesterday\n')).toEqual([
      `${FILE}:3: skills.a.evolved_at must be an ISO 8601 date or date-time like "2024-11-03T10:00:00Z" (got "yesterday")`,
    ]);
  });

  it('treats an empty section as no overrides, and null as a value only where allowed', () => {
    expect(check('prompt_evolution:\n  triggers:\n  # everything commented out\nskills:\n')).toEqual([]);
    expect(check('prompt_evolution:\n  smollm2:\n    model_path: null\n    model: null\n')).toEqual([
      `${FILE}:4: prompt_evolution.smollm2.model must be a non-empty string (got null)`,
    ]);
    expect(check('')).toEqual([]);
  });

  it('gives file:line and a short message for YAML syntax errors', () => {
    expect(check('app:\n  tray_title: true\n  tray_title: false\n')).toEqual([`${FILE}:3: YAML syntax error: Map keys must be unique`]);
    const [issue] = check('app:\n  tray_title: [true\nwatch: {}\n');
    expect(issue).toMatch(new RegExp(`^${FILE}:\\d: YAML syntax error: [^\\n]+$`));
  });

  it('checks relations between keys on the merged configuration, at the line the user set', () => {
    const parsed = readYaml('prompt_evolution:\n  ab_testing:\n    votes_required: 4\n', FILE);
    const defaults = readYaml(fs.readFileSync(DEFAULTS_FILE, 'utf8'), DEFAULTS_FILE).value as TinyArmsConfig;
    const merged = structuredClone(defaults);
    merged.prompt_evolution.ab_testing.votes_required = 4;
    expect(validateConfig(merged, { file: FILE, locate: parsed.locate, partial: false }).map(formatIssue)).toEqual([
      `${FILE}:3: prompt_evolution.ab_testing.votes_required must be at least prompt_evolution.ab_testing.min_votes (5) (got 4)`,
      `${FILE}:3: prompt_evolution.ab_testing.votes_required must be at least prompt_evolution.ab_testing.boundary_from_vote (30) (got 4)`,
    ]);
  });

  it('derives the TypeScript type from the same table', () => {
    const typed = (config: TinyArmsConfig) => {
      const threshold: number = config.prompt_evolution.triggers.accuracy_threshold;
      const modelPath: string | null = config.prompt_evolution.smollm2.model_path;
      const version: number | undefined = config.skills['file-naming']?.prompt_version;
      // @ts-expect-error unknown keys are type errors too
      void config.prompt_evolution.triggers.accuracy_treshold;
      return [threshold, modelPath, version];
    };
    expect(typeof typed).toBe('function');
  });
});
