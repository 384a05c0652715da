import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { BUNDLED_SKILLS_DIR, SkillRegistry } from './skill-registry';

const catchError = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
};

const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => fs.statSync(path.join(dir, file)).isFile())
      .map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]),
  );

let dataDir: string;
let registry: SkillRegistry;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-skills-'));
  registry = new SkillRegistry({ dataDir });
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('SkillRegistry (bundled skills)', () => {
  it('resolves the repo skills/ folder', () => {
    expect(BUNDLED_SKILLS_DIR).toBe(path.resolve(import.meta.dirname, '..', '..', '..', 'skills'));
  });

  it('lists the bundled v1 skills sorted by name', () => {
    expect(registry.list().map((skill) => [skill.name, skill.version])).toEqual([
      ['audio-actions', 1],
      ['code-linting-fast', 1],
      ['file-naming', 1],
      ['markdown-analysis', 1],
    ]);
    expect(registry.get('file-naming').file).toBe(path.join(BUNDLED_SKILLS_DIR, 'file-naming.md'));
    expect(registry.has('file-naming')).toBe(true);
    expect(registry.has('nope')).toBe(false);
  });

  it('suggests the closest skill for a typo, and names the known skills otherwise', () => {
    expect(catchError(() => registry.get('file-namer')).message).toBe("unknown skill 'file-namer' (did you mean file-naming?)");
    const error = catchError(() => registry.get('weather'));
    expect(error.message).toBe("unknown skill 'weather' (known: audio-actions, code-linting-fast, file-naming, markdown-analysis)");
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('unknown_skill');
  });

  it('maps versions to relative template paths', () => {
    expect(registry.versionFileRelative('file-naming', 1)).toBe('skills/file-naming.md');
    expect(registry.versionFileRelative('file-naming', 2)).toBe('skills/file-naming-v2.md');
    expect(() => registry.versionFileRelative('file-naming', 0)).toThrow(UserError);
    expect(() => registry.versionFileRelative('../etc', 2)).toThrow(UserError);
  });
});

describe('SkillRegistry.writeVersion', () => {
  it('writes into the data folder only, with the bundled front matter, and reads it back', () => {
    const before = snapshot(BUNDLED_SKILLS_DIR);
    const relative = registry.writeVersion('file-naming', 2, 'Name the file in kebab-case.\n\n{{input}}', {
      source: 'evolver',
      reasoning: 'Users dropped filler words.',
      created_at: '2026-01-05T09:00:00.000Z',
    });

    expect(relative).toBe('skills/file-naming-v2.md');
    expect(fs.existsSync(path.join(dataDir, 'skills', 'file-naming-v2.md'))).toBe(true);
    expect(snapshot(BUNDLED_SKILLS_DIR)).toEqual(before);
    expect(fs.readdirSync(path.join(dataDir, 'skills'))).toEqual(['file-naming-v2.md']); // no temp files left

    const v2 = registry.loadVersion('file-naming', relative);
    const v1 = registry.get('file-naming');
    expect(v2).toMatchObject({
      name: 'file-naming',
      description: v1.description,
      output: v1.output,
      scorer: v1.scorer,
      evolvable: true,
      model: v1.model,
      version: 2,
      prompt: 'Name the file in kebab-case.\n\n{{input}}',
      file: path.join(dataDir, 'skills', 'file-naming-v2.md'),
      extra: { source: 'evolver', reasoning: 'Users dropped filler words.', created_at: '2026-01-05T09:00:00.000Z' },
    });
    expect(registry.dataVersions('file-naming')).toEqual([2]);
    expect(registry.list()).toHaveLength(4);
  });

  it('accepts a retried write of the same prompt but not a different prompt under the same number', () => {
    registry.writeVersion('audio-actions', 3, 'List tasks.\n{{input}}', { created_at: 'a' });
    expect(registry.writeVersion('audio-actions', 3, 'List tasks.\n{{input}}', { created_at: 'b' })).toBe('skills/audio-actions-v3.md');
    const error = catchError(() => registry.writeVersion('audio-actions', 3, 'Other.\n{{input}}'));
    expect(error.code).toBe('version_exists');
    expect(registry.loadVersion('audio-actions', 'skills/audio-actions-v3.md').prompt).toBe('List tasks.\n{{input}}');
  });

  it.each([
    ['a fixed skill', () => registry.writeVersion('code-linting-fast', 2, 'x {{input}}'), 'not_evolvable'],
    ['version 1', () => registry.writeVersion('file-naming', 1, 'x {{input}}'), 'bad_usage'],
    ['a prompt without the slot', () => registry.writeVersion('file-naming', 2, 'no slot'), 'invalid_prompt'],
    ['an unknown skill', () => registry.writeVersion('../../evil', 2, 'x {{input}}'), 'unknown_skill'],
  ])('refuses %s', (_label, write, code) => {
    expect(catchError(write).code).toBe(code);
    expect(fs.existsSync(path.join(dataDir, 'skills'))).toBe(false);
  });
});

describe('SkillRegistry.resolveTemplatePath', () => {
  it('prefers the data folder, then the app folder', () => {
    expect(registry.resolveTemplatePath('skills/file-naming.md')).toBe(path.join(BUNDLED_SKILLS_DIR, 'file-naming.md'));
    const relative = registry.writeVersion('file-naming', 2, 'v2 {{input}}');
    expect(registry.resolveTemplatePath(relative)).toBe(path.join(dataDir, 'skills', 'file-naming-v2.md'));

    const override = path.join(dataDir, 'skills', 'file-naming.md');
    fs.copyFileSync(path.join(BUNDLED_SKILLS_DIR, 'file-naming.md'), override);
    expect(registry.resolveTemplatePath('skills/file-naming.md')).toBe(override);
  });

  it('reports a missing template and rejects paths that leave the skills folders', () => {
    expect(catchError(() => registry.resolveTemplatePath('skills/file-naming-v9.md')).code).toBe('template_not_found');
    for (const bad of ['../skills/file-naming.md', '/etc/passwd', 'skills/../../x.md', 'skills/sub/x.md', 'file-naming.md']) {
      expect(catchError(() => registry.resolveTemplatePath(bad)).code).toBe('bad_usage');
    }
  });

  it('loadVersion refuses a file of another skill', () => {
    const error = catchError(() => registry.loadVersion('audio-actions', 'skills/file-naming.md'));
    expect(error.message).toContain("version of skill 'file-naming', not 'audio-actions'");
  });
});

describe('SkillRegistry with its own bundled folder', () => {
  const skill = (name: string, extra = ''): string =>
    `---\nname: ${name}\ndescription: d\noutput: text\nscorer: text\nevolvable: true\n${extra}---\n{{input}}\n`;

  it('ignores README.md and version files, and names the file of a broken skill', () => {
    const bundledDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-bundled-'));
    try {
      fs.writeFileSync(path.join(bundledDir, 'README.md'), '# Skills\n');
      fs.writeFileSync(path.join(bundledDir, 'zeta.md'), skill('zeta'));
      fs.writeFileSync(path.join(bundledDir, 'alpha.md'), skill('alpha'));
      fs.writeFileSync(path.join(bundledDir, 'alpha-v2.md'), skill('alpha', 'version: 2\n'));
      const own = new SkillRegistry({ dataDir, bundledDir });
      expect(own.list().map((s) => s.name)).toEqual(['alpha', 'zeta']);
      expect(own.loadVersion('alpha', 'skills/alpha-v2.md').version).toBe(2);

      fs.writeFileSync(path.join(bundledDir, 'beta.md'), skill('gamma'));
      const error = catchError(() => new SkillRegistry({ dataDir, bundledDir }).list());
      expect(error.message).toContain(path.join(bundledDir, 'beta.md'));
    } finally {
      fs.rmSync(bundledDir, { recursive: true, force: true });
    }
  });
});
